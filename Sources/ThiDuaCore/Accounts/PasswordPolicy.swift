/// Rules for passwords. bcrypt reads at most 72 bytes, so a longer password would be silently cut:
/// we refuse it instead.
public enum PasswordPolicy {
    public static let minimumLength = 8
    public static let maximumBytes = 72

    public static func check(_ password: String) throws {
        if password.count < minimumLength {
            throw DomainError.invalid("Mật khẩu phải có ít nhất \(minimumLength) ký tự.", field: "password")
        }
        if password.utf8.count > maximumBytes {
            throw DomainError.invalid("Mật khẩu dài quá \(maximumBytes) byte (chữ có dấu tính 2–3 byte mỗi chữ).", field: "password")
        }
    }

    /// A random password of `length` characters from an alphabet without look-alikes (no 0/O, 1/l/I).
    public static func random<G: RandomNumberGenerator>(length: Int = 16, using generator: inout G) -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    public static func random(length: Int = 16) -> String {
        var g = SystemRandomNumberGenerator()
        return random(length: length, using: &g)
    }
}
