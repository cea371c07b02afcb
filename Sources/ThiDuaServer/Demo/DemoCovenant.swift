import Fluent
import Foundation
import ThiDuaCore

/// The 2018 covenant of the demo bloc (key tasks of the news item, an illustrative scoring scale), signed by
/// the nine heads on 07/03/2018; the 2018 deadlines; and each unit's registration.
enum DemoCovenant {
    static let keyTasks = [
        "Tiếp tục tổ chức triển khai thực hiện Nghị quyết của Ban Chấp hành Trung ương Đảng khóa XII, Nghị quyết Đại hội Đảng các cấp, các chủ trương, chính sách của Đảng, pháp luật của Nhà nước.",
        "Chủ động nắm chắc tình hình có liên quan, trên cơ sở chức năng, nhiệm vụ của từng ngành, từng đơn vị. Làm tốt công tác tham mưu cho Tỉnh ủy, UBND tỉnh và cấp trên, đồng thời triển khai thực hiện đồng bộ, có chiều sâu, hiệu quả các mặt công tác của từng ngành, phấn đấu hoàn thành xuất sắc các nhiệm vụ chính trị được giao.",
        "Tiếp tục đổi mới, nâng cao hiệu lực, hiệu quả công tác quản lý nhà nước theo chức năng, nhiệm vụ của từng ngành, từng cơ quan, đơn vị; tăng cường kiểm tra, phát hiện, xử lý nghiêm các vi phạm; đẩy mạnh cải cách hành chính phục vụ nhân dân; kịp thời áp dụng các ứng dụng khoa học, công nghệ vào các lĩnh vực công tác, đảm bảo tính kế hoạch, quy trình hóa các mặt công tác.",
        "Tập trung chỉ đạo nâng cao chất lượng công tác xây dựng Đảng, xây dựng cơ quan, đơn vị và các tổ chức đoàn thể trong sạch, vững mạnh; nâng cao năng lực lãnh đạo và sức chiến đấu của cấp ủy, tổ chức đảng và vai trò tiên phong, gương mẫu của đội ngũ cán bộ, đảng viên trong cơ quan, đơn vị.",
        "Tăng cường công tác giáo dục chính trị, tư tưởng, rèn luyện phẩm chất đạo đức, lối sống cho cán bộ, công chức, chiến sỹ.",
        "Quán triệt sâu rộng và triển khai thực hiện nghiêm túc Chỉ thị số 34-CT/TW ngày 07-4-2014 của Bộ Chính trị về “Tiếp tục đổi mới công tác thi đua, khen thưởng” và Phong trào thi đua thực hiện thắng lợi nhiệm vụ phát triển kinh tế xã hội 5 năm 2016-2020 theo Chỉ thị số 18/CT-TTg ngày 19-5-2016 của Chính phủ.",
    ]
    static let links = [["A1", "C2"], ["A2", "A1"], ["B1", "B2"], ["C1"], ["C2"], ["D1", "D2"]]

    static let positions = ["bchqs": "Chỉ huy trưởng", "bdbp": "Chỉ huy trưởng", "congan": "Giám đốc", "vksnd": "Viện trưởng", "tand": "Chánh án",
                            "pccc": "Giám đốc", "thanhtra": "Chánh Thanh tra", "sotuphap": "Giám đốc", "thads": "Cục trưởng"]

    static func scale(units: [String: UUID]) throws -> [Criterion] {
        let border = [units["bdbp"], units["bchqs"]].compactMap { $0 }
        return try ScoringScale.build([
            CriterionInput(code: "A", name: "Thực hiện nhiệm vụ chính trị được giao", maxPoints: 50),
            CriterionInput(code: "A1", parent: "A", name: "Hoàn thành các chỉ tiêu, kế hoạch công tác chuyên môn của ngành", maxPoints: 30,
                           guidance: "Theo báo cáo tổng kết của ngành, có số liệu đối chiếu", kind: .targetActual),
            CriterionInput(code: "A2", parent: "A", name: "Tham mưu cho Tỉnh ủy, UBND tỉnh và cấp trên", maxPoints: 10, guidance: "Số văn bản tham mưu được chấp thuận"),
            CriterionInput(code: "A3", parent: "A", name: "Bảo vệ chủ quyền, an ninh biên giới", maxPoints: 10, guidance: "Chỉ áp dụng cho lực lượng có nhiệm vụ biên giới", appliesTo: border),
            CriterionInput(code: "B", name: "Cải cách hành chính, ứng dụng khoa học, công nghệ", maxPoints: 15),
            CriterionInput(code: "B1", parent: "B", name: "Cải cách hành chính, phục vụ Nhân dân", maxPoints: 10),
            CriterionInput(code: "B2", parent: "B", name: "Ứng dụng công nghệ thông tin trong quản lý, điều hành", maxPoints: 5, kind: .yesNo),
            CriterionInput(code: "C", name: "Xây dựng Đảng, cơ quan, đoàn thể trong sạch, vững mạnh", maxPoints: 20),
            CriterionInput(code: "C1", parent: "C", name: "Tổ chức đảng đạt trong sạch, vững mạnh", maxPoints: 10, kind: .yesNo),
            CriterionInput(code: "C2", parent: "C", name: "Giáo dục chính trị, tư tưởng, đạo đức, lối sống", maxPoints: 10),
            CriterionInput(code: "D", name: "Công tác thi đua, khen thưởng", maxPoints: 15),
            CriterionInput(code: "D1", parent: "D", name: "Quán triệt, thực hiện Chỉ thị 34-CT/TW và Chỉ thị 18/CT-TTg", maxPoints: 5),
            CriterionInput(code: "D2", parent: "D", name: "Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến", maxPoints: 10),
            CriterionInput(code: "E", name: "Điểm thưởng: được cấp có thẩm quyền khen đột xuất", maxPoints: 5, kind: .adjustment, perEvent: 1),
            CriterionInput(code: "F", name: "Điểm trừ: vi phạm bị cấp có thẩm quyền nhắc nhở, xử lý", maxPoints: 10, kind: .adjustment, perEvent: -2),
        ])
    }

    static func content(units: [String: UUID]) throws -> CovenantContent {
        CovenantContent(
            title: "Khối thi đua Nội chính - Lực lượng vũ trang tỉnh Nghệ An năm 2018", place: "Nghệ An", signingDate: Day(2018, 3, 7),
            bases: ["Luật Thi đua, khen thưởng ngày 26/11/2003 và Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng ngày 16/11/2013",
                    "Nghị định số 91/2017/NĐ-CP ngày 31/7/2017 của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
                    "Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị về tiếp tục đổi mới công tác thi đua, khen thưởng",
                    "Chỉ thị số 18/CT-TTg ngày 19/5/2016 của Thủ tướng Chính phủ về đẩy mạnh phong trào thi đua yêu nước thực hiện thắng lợi nhiệm vụ phát triển kinh tế - xã hội 5 năm 2016 - 2020"],
            preamble: "Nhằm đẩy mạnh phong trào thi đua yêu nước của các cơ quan, đơn vị, động viên cán bộ, công chức, chiến sỹ nêu cao tinh thần trách nhiệm, hoàn thành xuất sắc nhiệm vụ; tăng cường đoàn kết, phối hợp chặt chẽ; xây dựng, nhân rộng mô hình, điển hình tiên tiến, 09 cơ quan trong Khối thi đua Nội chính - Lực lượng vũ trang tỉnh Nghệ An thống nhất ký kết giao ước thi đua năm 2018 với các nhiệm vụ trọng tâm sau:",
            keyTasks: zip(keyTasks, links).map { KeyTask(text: $0, criteria: $1) },
            scale: try scale(units: units),
            closing: "Căn cứ tình hình nhiệm vụ cụ thể, các đơn vị xây dựng kế hoạch tổ chức triển khai thực hiện, đưa phong trào thi đua của Khối phát triển mạnh mẽ, tạo động lực thực hiện thắng lợi nhiệm vụ công tác năm 2018. Cuối năm các đơn vị tự chấm điểm, chấm chéo và bình xét theo thang điểm này.",
            isDemo: true)
    }

    static func load(on db: any Database, units: [String: UUID], blocID: UUID, audit: AuditLog) async throws {
        let year = DemoLoader.year
        let tz = VietnameseFormat.timeZone
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = tz
        for (phase, due) in [(EmulationPhase.covenantSigning, "2018-03-07"), (.registration, "2018-03-31"), (.selfAssessment, "2018-11-30"), (.scoring, "2018-12-10"),
                             (.appeals, "2018-12-15"), (.votes, "2018-12-20"), (.dossiers, "2019-01-15")] {
            if try await Deadline.query(on: db).filter(\.$year == year).filter(\.$phase == phase.rawValue).first() == nil {
                let d = Deadline()
                d.year = year; d.phase = phase.rawValue; d.dueOn = due
                try await d.create(on: db)
            }
        }
        if try await CovenantModel.query(on: db).filter(\.$blocID == blocID).filter(\.$year == year).first() == nil {
            let c = CovenantModel(blocID: blocID, year: year)
            try await c.create(on: db)
            let v = CovenantVersion()
            v.covenantID = c.id!; v.number = 1; v.lockVersion = 1; v.updatedBy = "demo"
            let content = try content(units: units)
            try v.store(content)
            // Sealed with the bloc's roster of that year, frozen like any sealing.
            guard let bloc = try await Bloc.find(blocID, on: db) else { return }
            let roster = try await CovenantService.liveRoster(bloc: bloc, year: year, on: db)
            v.sealedRoster = try CovenantVersion.json(roster); v.rosterInSeal = true
            v.digest = CovenantSeal.digest(blocID: blocID, year: year, version: 1, content: content, roster: roster)
            v.sealedAt = cal.date(from: DateComponents(year: 2018, month: 3, day: 5, hour: 16))
            v.signedAt = cal.date(from: DateComponents(year: 2018, month: 3, day: 7, hour: 9, minute: 30))
            v.status = CovenantStatus.signed.rawValue
            try await v.create(on: db)
            for (i, d) in DemoLoader.units.enumerated() {
                guard let unitID = units[d.code], let head = try await User.query(on: db).filter(\.$username == "thutruong.\(d.code)").first() else { continue }
                let s = CovenantSignature()
                s.versionID = v.id!; s.unitID = unitID; s.unitName = roster.member(unitID)?.officialName; s.userID = head.id; s.signerName = head.fullName; s.signerPosition = positions[d.code]
                s.signedAt = cal.date(from: DateComponents(year: 2018, month: 3, day: 7, hour: 9, minute: 30 + i))!
                s.digest = v.digest!; s.absent = false; s.recordedBy = head.username
                try await s.create(on: db)
            }
            struct S: Codable { var year: Int; var status: String; var fingerprint: String }
            try await audit.created("covenant", v.id, S(year: year, status: v.status, fingerprint: CovenantSeal.fingerprint(v.digest!)))
        }
        for d in DemoLoader.units {
            guard let unitID = units[d.code] else { continue }
            if try await RegistrationModel.query(on: db).filter(\.$unitID == unitID).filter(\.$year == year).first() != nil { continue }
            let r = RegistrationModel()
            r.unitID = unitID; r.blocID = blocID; r.year = year
            var targets = d.kind == .armedForces ? ["DVQT", "BK_TINH"] : ["TTLDXS", "BK_TINH"]
            if d.code == DemoLoader.leaderCode { targets.append("CO_TINH") }
            r.collectiveTargets = targets.sorted().joined(separator: ","); r.note = "Đăng ký minh họa (demo)"; r.lockVersion = 1; r.updatedBy = "canbo.\(d.code)"
            try await r.create(on: db)
            for (i, p) in try await Person.query(on: db).filter(\.$unitID == unitID).sort(\.$fullName).all().enumerated() {
                let e = RegistrationEntry()
                e.registrationID = r.id!; e.positionNo = i + 1; e.fullName = p.fullName; e.jobTitle = p.position
                e.target = i == 0 ? "CSTDCS" : (d.kind == .armedForces ? "CSTT" : "LDTT")
                try await e.create(on: db)
            }
        }
    }
}
