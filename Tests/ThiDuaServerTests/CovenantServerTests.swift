import Fluent
import Foundation
import Testing
@testable import ThiDuaServer
import ThiDuaCore
import ThiDuaDocuments
import VaporTesting
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct CovenantServerTests {
    struct Create: Codable, Sendable { var blocID: String; var year: Int; var copyFromLastYear: Bool? }
    struct Sign: Codable, Sendable { var password: String; var fingerprint: String; var position: String? }

    /// Opens 2019 for the demo bloc with the same nine members, and lets the office reopen nothing.
    func open2019(_ app: Application, office: String) async throws -> Bloc {
        _ = try await api(app, .POST, "/api/v1/years", token: office, json: YearInput(year: 2019, theme: "Năm 2019"))
        let bloc = try await Bloc.query(on: app.db).first()!
        for m in try await Membership.query(on: app.db).filter(\.$year == 2018).all() {
            _ = try await api(app, .POST, "/api/v1/blocs/\(bloc.id!)/members", token: office, json: MemberInput(unitID: m.unitID.uuidString, year: 2019))
        }
        return bloc
    }

    @Test("The whole lifecycle through the API: draft, locking, consultation, seal, signatures, completion, amendment")
    func lifecycle() async throws {
        try await withThiDua(demo: true) { app, _ in
            let office = try await token(app, "vanphong")
            let bloc = try await open2019(app, office: office)
            // The 2018 lead (demo) cannot create 2019; the office can, copying 2018.
            let lead2018 = try await token(app, "truongkhoi")
            var res = try await api(app, .POST, "/api/v1/covenants", token: lead2018, json: Create(blocID: bloc.id!.uuidString, year: 2019))
            #expect(res.status == .forbidden)
            res = try await api(app, .POST, "/api/v1/covenants", token: office, json: Create(blocID: bloc.id!.uuidString, year: 2019, copyFromLastYear: true))
            #expect(res.status == .created)
            var c = try res.decoded(CovenantController.CovenantDTO.self)
            #expect(c.status == "draft" && c.content.title.contains("2019") && c.criteria.count == 15 && !c.content.isDemo)
            #expect(try await api(app, .POST, "/api/v1/covenants", token: office, json: Create(blocID: bloc.id!.uuidString, year: 2019)).status == .conflict)

            // Optimistic locking: the second save with the same lock version is refused and loses nothing.
            typealias In = CovenantService.ContentInput
            res = try await api(app, .PUT, "/api/v1/covenants/\(c.id)", token: office, json: In(lockVersion: c.lockVersion, title: "Giao ước thi đua năm 2019 (sửa)"))
            #expect(res.status == .ok)
            res = try await api(app, .PUT, "/api/v1/covenants/\(c.id)", token: office, json: In(lockVersion: c.lockVersion, title: "Bản của người thứ hai"))
            #expect(res.status == .conflict)
            #expect(reason(res).contains("vừa được"))
            c = try await api(app, .GET, "/api/v1/covenants/\(c.id)", token: office).decoded(CovenantController.CovenantDTO.self)
            #expect(c.content.title == "Giao ước thi đua năm 2019 (sửa)")

            // Bad scales are refused with the item named.
            var items = ScoringScale.inputs(c.content.scale)
            items[1].maxPoints = 0
            res = try await api(app, .PUT, "/api/v1/covenants/\(c.id)", token: office, json: In(lockVersion: c.lockVersion, scale: items))
            #expect(res.status == .unprocessableEntity)
            #expect(reason(res).contains("A1"))
            items = ScoringScale.inputs(c.content.scale)
            items[0].parent = "A2"
            res = try await api(app, .PUT, "/api/v1/covenants/\(c.id)", token: office, json: In(lockVersion: c.lockVersion, scale: items))
            #expect(reason(res).contains("nằm dưới chính nó"))
            items = ScoringScale.inputs(c.content.scale) + [CriterionInput(code: "A1", name: "Trùng", maxPoints: 1)]
            res = try await api(app, .PUT, "/api/v1/covenants/\(c.id)", token: office, json: In(lockVersion: c.lockVersion, scale: items))
            #expect(reason(res).contains("trùng"))

            // Consultation: a member comments, a non-member cannot, the lead answers.
            c = try await api(app, .POST, "/api/v1/covenants/\(c.id)/actions/startConsultation", token: office).decoded(CovenantController.CovenantDTO.self)
            #expect(c.status == "consultation")
            let officer = try await token(app, "canbo.congan")
            res = try await api(app, .POST, "/api/v1/covenants/\(c.id)/comments", token: officer, json: CovenantService.CommentInput(item: "A1", text: "Đề nghị làm rõ cách tính chỉ tiêu."))
            #expect(res.status == .created)
            #expect(try await api(app, .POST, "/api/v1/covenants/\(c.id)/comments", token: officer, json: CovenantService.CommentInput(item: "Z9", text: "x")).status == .unprocessableEntity)
            let comment = try res.decoded(CovenantController.CovenantDTO.self).comments[0]
            res = try await api(app, .POST, "/api/v1/covenants/\(c.id)/comments/\(comment.id)/answer", token: office, json: ["answer": "Đã bổ sung hướng dẫn."])
            #expect(try res.decoded(CovenantController.CovenantDTO.self).comments[0].answer == "Đã bổ sung hướng dẫn.")

            // Open for signing: sealed; edits refused with a reason.
            c = try await api(app, .POST, "/api/v1/covenants/\(c.id)/actions/openForSigning", token: office).decoded(CovenantController.CovenantDTO.self)
            #expect(c.status == "openForSigning")
            let fingerprint = try #require(c.fingerprint)
            let sealedRow = try #require(try await CovenantVersion.find(c.id, on: app.db))
            #expect(sealedRow.rosterInSeal == true && c.rosterFrozen)
            #expect(c.digest == CovenantSeal.digest(blocID: bloc.id!, year: 2019, version: 1, content: c.content, roster: sealedRow.frozenRoster()))
            #expect(c.digest != CovenantSeal.digest(blocID: bloc.id!, year: 2019, version: 1, content: c.content))
            res = try await api(app, .PUT, "/api/v1/covenants/\(c.id)", token: office, json: In(lockVersion: c.lockVersion, title: "Sửa lén"))
            #expect(res.status == .conflict)
            #expect(reason(res).contains("niêm phong"))

            // Signing: only heads (403 for an officer); a stale fingerprint → 409; a wrong password → 401.
            #expect(try await api(app, .POST, "/api/v1/covenants/\(c.id)/sign", token: officer, json: Sign(password: TestAccounts.demoPassword, fingerprint: fingerprint)).status == .forbidden)
            let head = try await token(app, "thutruong.congan")
            res = try await api(app, .POST, "/api/v1/covenants/\(c.id)/sign", token: head, json: Sign(password: TestAccounts.demoPassword, fingerprint: "0000-0000-0000"))
            #expect(res.status == .conflict)
            #expect(reason(res).contains(fingerprint))
            #expect(try await api(app, .POST, "/api/v1/covenants/\(c.id)/sign", token: head, json: Sign(password: "sai-mat-khau", fingerprint: fingerprint)).status == .unauthorized)
            res = try await api(app, .POST, "/api/v1/covenants/\(c.id)/sign", token: head, json: Sign(password: TestAccounts.demoPassword, fingerprint: fingerprint, position: "Giám đốc"))
            #expect(res.status == .ok)
            c = try res.decoded(CovenantController.CovenantDTO.self)
            #expect(c.signedCount == 1)
            let mine = try #require(c.signatures.first { $0.signed })
            #expect(mine.fingerprint == fingerprint && mine.position == "Giám đốc")
            #expect(try await api(app, .POST, "/api/v1/covenants/\(c.id)/sign", token: head, json: Sign(password: TestAccounts.demoPassword, fingerprint: fingerprint)).status == .conflict)
            // Withdrawing is refused once someone signed.
            #expect(try await api(app, .POST, "/api/v1/covenants/\(c.id)/actions/withdrawFromSigning", token: office).status == .conflict)

            // The others sign; the office records one as absent; the covenant is then signed.
            for code in ["bchqs", "bdbp", "vksnd", "tand", "pccc", "thanhtra", "sotuphap"] {
                let t = try await token(app, "thutruong.\(code)")
                #expect(try await api(app, .POST, "/api/v1/covenants/\(c.id)/sign", token: t, json: Sign(password: TestAccounts.demoPassword, fingerprint: fingerprint)).status == .ok)
            }
            let thads = try await ThiDuaServer.Unit.query(on: app.db).filter(\.$shortName == "Cục THADS tỉnh").first()!
            res = try await api(app, .POST, "/api/v1/covenants/\(c.id)/absent", token: office, json: CovenantService.AbsentInput(unitID: thads.id!.uuidString, reason: "Đi công tác đột xuất"))
            c = try res.decoded(CovenantController.CovenantDTO.self)
            #expect(c.status == "signed" && c.signedCount == 9)
            #expect(c.signatures.contains { $0.absent && $0.reason == "Đi công tác đột xuất" })

            // A signed covenant is amended by a new version that must be signed again; the old one stays readable.
            res = try await api(app, .PUT, "/api/v1/covenants/\(c.id)", token: office, json: In(lockVersion: c.lockVersion, title: "x"))
            #expect(reason(res).contains("phiên bản sửa đổi"))
            let v2 = try await api(app, .POST, "/api/v1/covenants/\(c.id)/actions/amend", token: office).decoded(CovenantController.CovenantDTO.self)
            #expect(v2.number == 2 && v2.status == "draft" && v2.signedCount == 0)
            let v1 = try await api(app, .GET, "/api/v1/covenants/\(c.id)", token: officer).decoded(CovenantController.CovenantDTO.self)
            #expect(v1.status == "signed" && v1.signedCount == 9 && !v1.isCurrent && v1.versions.count == 2)
            #expect(try await api(app, .POST, "/api/v1/covenants/\(c.id)/actions/openForSigning", token: office).status == .conflict)
            #expect(try await Operations.verifyAudit(app).0)
        }
    }

    @Test("Signing after the deadline is refused until the office reopens it for the unit")
    func deadline() async throws {
        try await withThiDua(demo: true) { app, _ in
            let office = try await token(app, "vanphong")
            let bloc = try await open2019(app, office: office)
            var c = try await api(app, .POST, "/api/v1/covenants", token: office, json: Create(blocID: bloc.id!.uuidString, year: 2019, copyFromLastYear: true))
                .decoded(CovenantController.CovenantDTO.self)
            c = try await api(app, .POST, "/api/v1/covenants/\(c.id)/actions/openForSigning", token: office).decoded(CovenantController.CovenantDTO.self)
            _ = try await api(app, .PUT, "/api/v1/years/2019/deadlines/covenantSigning", token: office, json: ["due": "07/03/2019"])
            let head = try await token(app, "thutruong.tand")
            var res = try await api(app, .POST, "/api/v1/covenants/\(c.id)/sign", token: head, json: Sign(password: TestAccounts.demoPassword, fingerprint: c.fingerprint!))
            #expect(res.status == .conflict)
            #expect(reason(res).contains("07/03/2019"))
            let tand = try await ThiDuaServer.Unit.query(on: app.db).filter(\.$shortName == "TAND tỉnh").first()!
            let today = Calendar(identifier: .gregorian).dateComponents([.year], from: Date()).year!
            let until = Day(today + 1, 6, 30)
            res = try await api(app, .POST, "/api/v1/years/2019/deadlines/covenantSigning/reopen", token: office,
                                json: DeadlineService.ReopenInput(unitID: tand.id!.uuidString, until: until.description, reason: "Thủ trưởng đi công tác"))
            #expect(res.status == .ok)
            #expect(try res.decoded([DeadlineDTO].self).first { $0.phase == "covenantSigning" }?.reopenings.first?.reason == "Thủ trưởng đi công tác")
            res = try await api(app, .POST, "/api/v1/covenants/\(c.id)/sign", token: head, json: Sign(password: TestAccounts.demoPassword, fingerprint: c.fingerprint!))
            #expect(res.status == .ok)
            // Another unit is still held to the deadline.
            let other = try await token(app, "thutruong.congan")
            #expect(try await api(app, .POST, "/api/v1/covenants/\(c.id)/sign", token: other, json: Sign(password: TestAccounts.demoPassword, fingerprint: c.fingerprint!)).status == .conflict)
            // A reopening needs a reason.
            #expect(try await api(app, .POST, "/api/v1/years/2019/deadlines/covenantSigning/reopen", token: office,
                                  json: DeadlineService.ReopenInput(unitID: tand.id!.uuidString, until: until.description, reason: "")).status == .unprocessableEntity)
        }
    }

    @Test("The demo covenant: signed by the nine heads on 07/03/2018; .docx in the decree's layout; pages render")
    func demoAndDocuments() async throws {
        try await withThiDua(demo: true) { app, _ in
            let t = try await token(app, "khach")
            let list = try await api(app, .GET, "/api/v1/covenants?year=2018", token: t).decoded([CovenantController.CovenantDTO].self)
            let c = try #require(list.first)
            #expect(c.status == "signed" && c.signedCount == 9 && c.content.isDemo)
            #expect(c.dateLine == "Nghệ An, ngày 07 tháng 3 năm 2018")
            #expect(c.tasks.count == 6 && c.totalMax == "100" && c.warnings.isEmpty)
            #expect(c.signatures.first?.role == "Trưởng khối")
            let b = try Browser(app)
            try await b.login("truongkhoi")
            let page = try await b.get("/covenants/\(c.id)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Đã ký kết") && page.body.string.contains(c.fingerprint!))
            #expect(try await b.get("/covenants/\(c.id)/print").body.string.contains("Độc lập - Tự do - Hạnh phúc"))
            let bloc = try await b.get("/blocs/\(c.blocID)/covenant?year=2018")
            #expect(bloc.status == .seeOther)
            let docx = try await b.get("/covenants/\(c.id)/docx")
            #expect(docx.status == .ok)
            let parts = try OOXMLPackage.parts(of: Data(buffer: docx.body))
            let xml = try #require(parts["word/document.xml"])
            // Well-formed XML …
            let parser = XMLParser(data: xml)
            #expect(parser.parse(), "document.xml must be well-formed XML")
            for name in ["word/styles.xml", "word/header1.xml", "[Content_Types].xml"] { #expect(XMLParser(data: try #require(parts[name])).parse()) }
            // … with the decree's texts and layout.
            let text = String(decoding: xml, as: UTF8.self)
            for s in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Nghệ An, ngày 07 tháng 3 năm 2018", "GIAO ƯỚC THI ĐUA",
                      "KHỐI THI ĐUA NỘI CHÍNH - LỰC LƯỢNG VŨ TRANG", "VIỆN KIỂM SÁT NHÂN DÂN TỈNH NGHỆ AN", "CỤC THI HÀNH ÁN DÂN SỰ TỈNH NGHỆ AN",
                      "w:pgSz w:w=\"11906\" w:h=\"16838\"", "w:left=\"1701\"", "Times New Roman", "<w:titlePg/>", "Chỉ thị số 34-CT/TW"] {
                #expect(text.contains(s), "docx should contain \(s)")
            }
            // Someone outside the bloc cannot read a draft.
            let office = try await token(app, "vanphong")
            let other = try await api(app, .POST, "/api/v1/blocs", token: office, json: BlocInput(name: "Khối Kinh tế", organiser: ""))
            let otherBloc = try other.decoded(BlocDTO.self)
            let unit = try await api(app, .POST, "/api/v1/units", token: office, json: UnitInput(officialName: "Sở Công Thương tỉnh Nghệ An", shortName: "Sở Công Thương", kind: "civil")).decoded(UnitDTO.self)
            _ = try await api(app, .POST, "/api/v1/blocs/\(otherBloc.id)/members", token: office, json: MemberInput(unitID: unit.id.uuidString, year: 2018))
            let draft = try await api(app, .POST, "/api/v1/covenants", token: office, json: Create(blocID: otherBloc.id.uuidString, year: 2018)).decoded(CovenantController.CovenantDTO.self)
            let outsider = try await token(app, "canbo.congan")
            #expect(try await api(app, .GET, "/api/v1/covenants/\(draft.id)", token: outsider).status == .forbidden)
            #expect(try await api(app, .GET, "/api/v1/covenants/\(c.id)", token: outsider).status == .ok)
        }
    }

    @Test("Registration: own unit only, codes checked, optimistic locking, closed after the deadline; bloc view and .xlsx")
    func registration() async throws {
        try await withThiDua(demo: true) { app, _ in
            let officer = try await token(app, "canbo.sotuphap")
            let tuphap = try await ThiDuaServer.Unit.query(on: app.db).filter(\.$shortName == "Sở Tư pháp").first()!
            let congan = try await ThiDuaServer.Unit.query(on: app.db).filter(\.$shortName == "Công an tỉnh").first()!
            typealias In = RegistrationService.Input
            var r = try await api(app, .GET, "/api/v1/units/\(tuphap.id!)/registrations/2018", token: officer).decoded(RegistrationDTO.self)
            #expect(r.registered && r.collectiveTargets.contains("TTLDXS"))
            // 2018's registration deadline (31/03/2018) has passed.
            var res = try await api(app, .PUT, "/api/v1/units/\(tuphap.id!)/registrations/2018", token: officer,
                                    json: In(lockVersion: r.lockVersion, collectiveTargets: ["TTLDXS"]))
            #expect(res.status == .conflict)
            #expect(reason(res).contains("31/03/2018"))
            let office = try await token(app, "vanphong")
            _ = try await api(app, .POST, "/api/v1/years/2018/deadlines/registration/reopen", token: office,
                              json: DeadlineService.ReopenInput(unitID: tuphap.id!.uuidString, until: "30/06/\(Calendar(identifier: .gregorian).component(.year, from: Date()) + 1)", reason: "Bổ sung danh sách"))
            res = try await api(app, .PUT, "/api/v1/units/\(tuphap.id!)/registrations/2018", token: officer,
                                json: In(lockVersion: r.lockVersion, collectiveTargets: ["TTLDXS", "CO_TINH"], individuals: [RegistrationIndividual(fullName: "Lê Văn A", position: "Chuyên viên", target: "CSTDCS")]))
            #expect(res.status == .ok)
            r = try res.decoded(RegistrationDTO.self)
            #expect(r.collectiveTargets == ["CO_TINH", "TTLDXS"] && r.individuals.count == 1)
            // Stale lock, wrong codes, another unit.
            #expect(try await api(app, .PUT, "/api/v1/units/\(tuphap.id!)/registrations/2018", token: officer, json: In(lockVersion: 1, collectiveTargets: [])).status == .conflict)
            #expect(try await api(app, .PUT, "/api/v1/units/\(tuphap.id!)/registrations/2018", token: officer,
                                  json: In(lockVersion: r.lockVersion, collectiveTargets: ["CSTDCS"])).status == .unprocessableEntity)
            #expect(try await api(app, .PUT, "/api/v1/units/\(tuphap.id!)/registrations/2018", token: officer,
                                  json: In(lockVersion: r.lockVersion, individualsText: "Lê Văn B | Chuyên viên | TTLDXS")).status == .unprocessableEntity)
            #expect(try await api(app, .PUT, "/api/v1/units/\(congan.id!)/registrations/2018", token: officer, json: In(lockVersion: 1)).status == .forbidden)
            #expect(try await api(app, .GET, "/api/v1/units/\(congan.id!)/registrations/2018", token: officer).status == .forbidden)
            // The bloc lead sees the whole bloc, and exports it.
            let lead = try await token(app, "truongkhoi")
            let bloc = try await Bloc.query(on: app.db).first()!
            let all = try await api(app, .GET, "/api/v1/blocs/\(bloc.id!)/registrations?year=2018", token: lead).decoded([RegistrationDTO].self)
            #expect(all.count == 9 && all.allSatisfy(\.registered))
            #expect(try await api(app, .GET, "/api/v1/blocs/\(bloc.id!)/registrations?year=2018", token: officer).status == .forbidden)
            let b = try Browser(app)
            try await b.login("truongkhoi")
            #expect(try await b.get("/blocs/\(bloc.id!)/registrations?year=2018").body.string.contains("Sở Tư pháp tỉnh Nghệ An"))
            let xlsx = try await b.get("/blocs/\(bloc.id!)/registrations.xlsx?year=2018")
            let parts = try OOXMLPackage.parts(of: Data(buffer: xlsx.body))
            #expect(String(decoding: try #require(parts["xl/worksheets/sheet2.xml"]), as: UTF8.self).contains("Lê Văn A"))
            // The unit page renders with the form for its officer.
            let o = try Browser(app)
            try await o.login("canbo.sotuphap")
            #expect(try await o.get("/units/\(tuphap.id!)/registration?year=2018").body.string.contains("save-registration"))
            #expect(try await b.get("/years/2018/deadlines").status == .forbidden)
            let ob = try Browser(app)
            try await ob.login("vanphong")
            #expect(try await ob.get("/years/2018/deadlines").body.string.contains("Đăng ký thi đua"))
        }
    }
}
