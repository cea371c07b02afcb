import Foundation

/// The kinds of evidence file (minh chứng) a unit may attach to its self-assessment, recognised by their content.
public enum EvidenceType: String, Codable, Sendable, CaseIterable {
    case pdf, png, jpeg, docx, xlsx

    public var mediaType: String {
        switch self {
        case .pdf: "application/pdf"
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
    }

    public var extensions: [String] {
        switch self {
        case .pdf: ["pdf"]
        case .png: ["png"]
        case .jpeg: ["jpg", "jpeg"]
        case .docx: ["docx"]
        case .xlsx: ["xlsx"]
        }
    }
}

/// What an evidence file must be: at most 10 MB, of an accepted type as its content shows (not its name), with a name
/// whose extension agrees with that content.
public enum EvidenceRules {
    public static let maxBytes = 10 * 1024 * 1024
    /// Files per criterion of a unit's self-assessment.
    public static let maxPerCriterion = 20
    public static let maxNameLength = 160

    /// The type the content shows: the PDF, PNG or JPEG signature, or, for a ZIP archive, the part that makes it a
    /// Word or Excel document (`zipEntries`: the archive's entry names, nil when it is not a readable archive).
    public static func detect(_ head: [UInt8], zipEntries: Set<String>?) -> EvidenceType? {
        func starts(_ sig: [UInt8]) -> Bool { head.count >= sig.count && Array(head.prefix(sig.count)) == sig }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x50, 0x4B, 0x03, 0x04]), let entries = zipEntries, entries.contains("[Content_Types].xml") {
            if entries.contains("word/document.xml") { return .docx }
            if entries.contains("xl/workbook.xml") { return .xlsx }
        }
        return nil
    }

    /// Whether the content may be a ZIP archive (worth listing its entries).
    public static func looksLikeZip(_ head: [UInt8]) -> Bool { head.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    /// The file's name as stored and offered back (NFC, without a folder, control characters or a leading dot), and
    /// its type; a 422 that says why otherwise: too big, empty, a type that is not accepted, or a name whose extension
    /// says something other than the content.
    public static func check(filename raw: String?, size: Int, detected: EvidenceType?) throws -> (name: String, type: EvidenceType) {
        guard size > 0 else { throw DomainError.invalid("Tệp minh chứng rỗng.", field: "file") }
        guard size <= maxBytes else {
            throw DomainError.invalid("Tệp minh chứng lớn quá \(VietnameseFormat.number(maxBytes / 1024 / 1024)) MB.", field: "file")
        }
        var name = VietnameseText.clean(raw ?? "")
        // Only the last component of a path a browser might send ("C:\\fakepath\\a.pdf", "../../a.pdf").
        if let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last { name = String(last) }
        name = String(name.unicodeScalars.filter { $0.properties.generalCategory != .control }.map(Character.init))
            .trimmingCharacters(in: .whitespaces)
        while name.hasPrefix(".") { name.removeFirst() }
        guard !name.isEmpty else { throw DomainError.invalid("Tệp minh chứng cần có tên.", field: "file") }
        guard name.count <= maxNameLength else { throw DomainError.invalid("Tên tệp dài quá \(maxNameLength) ký tự.", field: "file") }
        guard let type = detected else {
            throw DomainError.invalid("Chỉ nhận minh chứng là tệp PDF, ảnh PNG hoặc JPEG, văn bản Word (.docx) hoặc bảng tính Excel (.xlsx); nội dung tệp “\(name)” không thuộc loại nào trong số đó.", field: "file")
        }
        let ext = name.split(separator: ".").count > 1 ? String(name.split(separator: ".").last ?? "").lowercased() : ""
        guard type.extensions.contains(ext) else {
            throw DomainError.invalid("Tên tệp “\(name)” có đuôi “.\(ext)” nhưng nội dung là tệp \(type.rawValue.uppercased()): hãy đặt đúng đuôi (.\(type.extensions[0])).", field: "file")
        }
        return (name, type)
    }
}

extension Principal {
    /// Attaches or removes evidence on a unit's self-assessment: its officer, while the self-assessment may change
    /// (`ScoreSheets.editRefusal`), and while appeals are open (evidence for an appeal).
    public func canManageEvidence(unit: UUID, _ r: RoundScope) -> Bool {
        canSelfAssess(unit: unit, r) || canAppeal(unit: unit, r)
    }

    /// Downloads a unit's evidence: whoever may read the unit's detail.
    public func canReadEvidence(unit: UUID, _ r: RoundScope) -> Bool { canReadUnitDetail(unit: unit, r) }
}
