import Foundation

/// A key task (nhiệm vụ trọng tâm) and the criteria that measure it.
public struct KeyTask: Codable, Sendable, Equatable, Hashable {
    public var text: String
    public var criteria: [String]
    public init(text: String, criteria: [String] = []) { self.text = text; self.criteria = criteria }
}

/// What members sign: the covenant's text and its scoring scale.
public struct CovenantContent: Codable, Sendable, Equatable {
    public var title: String
    /// "Nghệ An": the place on the date line.
    public var place: String
    /// The planned signing date, shown on the date line.
    public var signingDate: Day?
    public var bases: [String]
    public var preamble: String
    public var keyTasks: [KeyTask]
    public var scale: [Criterion]
    /// Closing commitments (e.g. “Các đơn vị cam kết …”).
    public var closing: String
    /// Marked when the content is illustrative (the demo).
    public var isDemo: Bool

    public init(title: String, place: String, signingDate: Day? = nil, bases: [String] = [], preamble: String = "", keyTasks: [KeyTask] = [],
                scale: [Criterion] = [], closing: String = "", isDemo: Bool = false) {
        self.title = title; self.place = place; self.signingDate = signingDate; self.bases = bases; self.preamble = preamble
        self.keyTasks = keyTasks; self.scale = scale; self.closing = closing; self.isDemo = isDemo
    }

    /// Longest lists and texts of a covenant (each refused with a 422 naming the field beyond them).
    public static let maxKeyTasks = 200, maxBases = 50, maxLongText = 20_000

    /// Checks what a covenant must satisfy to be saved: a title, bounded lists and texts, tasks linked to
    /// existing criteria.
    public func validated() throws -> CovenantContent {
        var c = self
        c.title = try Validate.name(title, field: "title", label: "Tên văn bản giao ước", maxLength: 300)
        c.place = try Validate.name(place, field: "place", label: "Địa danh", maxLength: 80)
        try Bounded.list(bases, field: "bases", label: "Căn cứ", max: Self.maxBases)
        c.bases = try bases.map { try Bounded.text($0, field: "bases", label: "Căn cứ", max: 1_000) ?? "" }.filter { !$0.isEmpty }
        c.preamble = try Bounded.text(preamble, field: "preamble", label: "Phần mở đầu", max: Self.maxLongText) ?? ""
        c.closing = try Bounded.text(closing, field: "closing", label: "Phần cam kết", max: Self.maxLongText) ?? ""
        try Bounded.list(keyTasks, field: "keyTasks", label: "Nhiệm vụ trọng tâm", max: Self.maxKeyTasks)
        let codes = Set(ScoringScale.flatten(scale).map(\.criterion.code))
        c.keyTasks = try keyTasks.enumerated().compactMap { i, t in
            let text = try Bounded.text(t.text, field: "keyTasks", label: "Nhiệm vụ \(i + 1)", max: 4_000) ?? ""
            if text.isEmpty { return nil }
            try Bounded.list(t.criteria, field: "keyTasks", label: "Nhiệm vụ \(i + 1): tiêu chí liên kết", max: ScoringScale.maxCriteria)
            for code in t.criteria where !codes.contains(code) {
                throw DomainError.invalid("Nhiệm vụ \(i + 1) liên kết với tiêu chí “\(code.prefix(Bounded.codeLength))” không có trong thang điểm.", field: "keyTasks")
            }
            return KeyTask(text: text, criteria: t.criteria)
        }
        return c
    }

    /// The comment target `item` ("general", "task:N" or a criterion code) if it names something in this
    /// content; nil otherwise. Total: any text, any number, and a covenant without tasks are answered, not trapped.
    public func commentItem(_ raw: String?) -> String? {
        let item = (raw ?? "").trimmingCharacters(in: .whitespaces)
        if item.isEmpty || item == "general" { return "general" }
        if item.hasPrefix("task:") {
            guard let n = try? Bounded.int(text: String(item.dropFirst(5)), field: "item", label: "Nhiệm vụ", in: 1...Self.maxKeyTasks),
                  keyTasks.indices.contains(n - 1) else { return nil }
            return "task:\(n)"
        }
        guard Bounded.isSafeCode(item), ScoringScale.flatten(scale).contains(where: { $0.criterion.code == item }) else { return nil }
        return item
    }
}

/// The covenant's lifecycle. Pure: the server asks it whether an action is allowed.
public enum CovenantStatus: String, Codable, Sendable, CaseIterable {
    case draft, consultation, openForSigning, signed

    public var label: String {
        switch self {
        case .draft: "Dự thảo"
        case .consultation: "Đang lấy ý kiến"
        case .openForSigning: "Đang ký"
        case .signed: "Đã ký kết"
        }
    }

    /// Content may be edited only in draft and consultation.
    public var editable: Bool { self == .draft || self == .consultation }
}

public enum CovenantAction: String, Codable, Sendable, CaseIterable {
    case startConsultation, backToDraft, openForSigning, withdrawFromSigning, complete, amend
}

public enum CovenantLifecycle {
    /// The status after `action`, or a 409 saying why not. `signatures` is how many members have signed (or been
    /// recorded absent), `members` how many there are.
    public static func next(_ status: CovenantStatus, _ action: CovenantAction, signatures: Int = 0, members: Int = 0) throws -> CovenantStatus {
        switch (status, action) {
        case (.draft, .startConsultation): return .consultation
        case (.consultation, .backToDraft): return .draft
        case (.draft, .openForSigning), (.consultation, .openForSigning): return .openForSigning
        case (.openForSigning, .withdrawFromSigning):
            if signatures > 0 { throw DomainError.conflict("Đã có đơn vị ký: không thể rút lại; hãy ký tiếp hoặc sửa đổi sau khi ký xong bằng một phiên bản mới.") }
            return .draft
        case (.openForSigning, .complete):
            guard members > 0, signatures >= members else {
                throw DomainError.conflict("Còn \(max(0, members - signatures)) đơn vị thành viên chưa ký.")
            }
            return .signed
        case (.signed, .amend): return .draft
        default:
            throw DomainError.conflict("Không thể “\(actionLabel(action))” khi giao ước đang ở trạng thái “\(status.label)”.")
        }
    }

    public static func actionLabel(_ a: CovenantAction) -> String {
        switch a {
        case .startConsultation: "lấy ý kiến"
        case .backToDraft: "trở lại dự thảo"
        case .openForSigning: "mở ký"
        case .withdrawFromSigning: "rút lại để sửa"
        case .complete: "hoàn tất ký kết"
        case .amend: "sửa đổi (phiên bản mới)"
        }
    }

    /// The reason an edit is refused, or nil when the content may change.
    public static func editRefusal(_ status: CovenantStatus) -> DomainError? {
        switch status {
        case .draft, .consultation: nil
        case .openForSigning: .conflict("Giao ước đang mở ký: nội dung đã niêm phong, không sửa được. Muốn sửa, trưởng khối rút lại khi chưa có đơn vị nào ký.")
        case .signed: .conflict("Giao ước đã ký kết: không sửa trực tiếp được. Hãy tạo phiên bản sửa đổi; phiên bản mới phải được ký lại.")
        }
    }
}

/// The seal: SHA-256 over a canonical serialisation of what is signed.
public enum CovenantSeal {
    struct Sealed: Encodable {
        var blocID: String
        var year: Int
        var version: Int
        var content: CovenantContent
        /// Absent (not null) when the seal does not cover a roster: seals taken before rosters were frozen keep
        /// their digest.
        var roster: CovenantRoster?
    }

    /// Canonical bytes: sorted keys, no extra white space, NFC text, sorted unit lists; the roster in signature order.
    public static func canonical(blocID: UUID, year: Int, version: Int, content: CovenantContent, roster: CovenantRoster? = nil) -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var c = content
        func norm(_ list: [Criterion]) -> [Criterion] {
            list.map { var x = $0; x.appliesTo = x.appliesTo.map { $0.sorted { $0.uuidString < $1.uuidString } }; x.children = norm(x.children); return x }
        }
        c.scale = norm(c.scale)
        return (try? e.encode(Sealed(blocID: blocID.uuidString, year: year, version: version, content: c, roster: roster))) ?? Data()
    }

    /// The full SHA-256 hex digest of the content and, when given, the frozen roster.
    public static func digest(blocID: UUID, year: Int, version: Int, content: CovenantContent, roster: CovenantRoster? = nil) -> String {
        Hex.lower(SHA256Digest.hash(Array(canonical(blocID: blocID, year: year, version: version, content: content, roster: roster))))
    }

    /// The short form shown to people: first 12 hex digits in groups of 4, upper case ("A1B2-C3D4-E5F6").
    public static func fingerprint(_ digest: String) -> String {
        let s = Array(digest.prefix(12).uppercased())
        return stride(from: 0, to: s.count, by: 4).map { String(s[$0..<min($0 + 4, s.count)]) }.joined(separator: "-")
    }
}
