/// Checks on what users type, returning NFC-clean values or a `DomainError` naming the field.
public enum Validate {
    /// A required name: not empty after trimming, at most `maxLength` characters; returned in NFC.
    public static func name(_ raw: String?, field: String, label: String, maxLength: Int = 255) throws -> String {
        let value = VietnameseText.clean(raw ?? "")
        if value.isEmpty { throw DomainError.invalid("\(label) không được để trống.", field: field) }
        if value.count > maxLength { throw DomainError.invalid("\(label) dài quá \(maxLength) ký tự.", field: field) }
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw DomainError.invalid("\(label) chứa ký tự không hợp lệ.", field: field)
        }
        return value
    }

    /// An optional text: nil when empty, otherwise the same checks as `name`.
    public static func optional(_ raw: String?, field: String, label: String, maxLength: Int = 255) throws -> String? {
        let value = VietnameseText.clean(raw ?? "")
        return value.isEmpty ? nil : try name(value, field: field, label: label, maxLength: maxLength)
    }

    /// A user name: 3–40 characters of a–z, 0–9, ".", "_", "-" (stored lower-case).
    public static func username(_ raw: String?) throws -> String {
        let value = (raw ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard (3...40).contains(value.count),
              value.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "_" || $0 == "-" })
        else { throw DomainError.invalid("Tên đăng nhập phải có 3–40 ký tự, chỉ gồm chữ thường không dấu, số, dấu chấm, gạch dưới hoặc gạch ngang.", field: "username") }
        return value
    }

    /// An e-mail address (optional): a simple shape check.
    public static func email(_ raw: String?) throws -> String? {
        let value = (raw ?? "").trimmingCharacters(in: .whitespaces)
        if value.isEmpty { return nil }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard value.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !value.contains(" ")
        else { throw DomainError.invalid("Địa chỉ thư điện tử không hợp lệ.", field: "email") }
        return value
    }

    /// An emulation year between 2000 and 2100.
    public static func year(_ value: Int?) throws -> Int {
        try Bounded.emulationYear(value)
    }
}
