import Foundation
import Testing
@testable import ThiDuaCore

@Suite struct SHA256Tests {
    @Test("Known FIPS 180-4 vectors")
    func vectors() {
        #expect(SHA256Digest.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Digest.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Digest.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256Digest.hex(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}

/// Digests made before the hash moved to swift-crypto: a seal or an audit entry computed today must match them,
/// or every signed covenant and every stored chain would stop verifying.
@Suite struct PinnedDigestTests {
    @Test("A covenant seal and an audit entry hash are the same as with the earlier implementation")
    func pinned() {
        let bloc = UUID(uuidString: "F5F2EC1D-1AFC-405D-B670-D0A2413D0D28")!
        let content = CovenantContent(title: "Giao ước thi đua năm 2018", place: "Nghệ An", signingDate: Day(2018, 3, 7),
                                      bases: ["Luật Thi đua, khen thưởng"], preamble: "Mở đầu", keyTasks: [KeyTask(text: "Nhiệm vụ", criteria: ["A"])],
                                      scale: [Criterion(code: "A", name: "Nhóm A", maxPoints: 12.5)], closing: "Cam kết")
        #expect(CovenantSeal.digest(blocID: bloc, year: 2018, version: 1, content: content) == "90fd0e86538673a2cd737877d06d1c856bf4f41a25cced30d5b68ae6d5aa2c7f")
        let entry = AuditChain.next(after: nil, atMillis: 1_520_400_000_000, actor: "vanphong", entity: "covenant",
                                    entityID: bloc.uuidString, action: "create", oldValue: nil, newValue: "{\"a\":1}")
        #expect(entry.hash == "80f9fef17921fa9ef67b02ab87c0523a985fcdf384ab010c610a0afa3d15e207")
    }
}

@Suite struct VietnameseTextTests {
    @Test("Search keys fold diacritics, đ and case", arguments: [
        ("Tòa án nhân dân tỉnh", "toa an nhan dan tinh"),
        ("Cục Thi hành án dân sự", "cuc thi hanh an dan su"),
        ("ĐỘI  Biên   phòng", "doi bien phong"),
        ("Sở Tư pháp", "so tu phap"),
    ])
    func keys(input: String, expected: String) {
        #expect(VietnameseText.searchKey(input) == expected)
    }

    @Test func matching() {
        #expect(VietnameseText.matches(query: "to an", in: "Tòa án nhân dân tỉnh Nghệ An"))
        #expect(VietnameseText.matches(query: "TOA AN", in: "Tòa án nhân dân tỉnh Nghệ An"))
        #expect(VietnameseText.matches(query: "cong an", in: "Công an tỉnh Nghệ An"))
        #expect(!VietnameseText.matches(query: "bien phong", in: "Công an tỉnh Nghệ An"))
    }

    @Test("Names sort in Vietnamese dictionary order: letters (ă, â, đ, ê, ô, ơ, ư their own), then tones, case ignored")
    func collation() {
        let shuffled = ["Văn phòng UBND tỉnh", "Ủy ban MTTQ", "Đảng ủy Khối", "Đài Phát thanh", "Cục Thuế", "Công an tỉnh",
                        "Ăn uống", "Anh", "An Giang", "Âm nhạc", "Bảo hiểm xã hội", "Dân tộc", "Ơn", "Ô tô", "Ốc", "Ưu tiên", "Uống"]
        #expect(VietnameseText.sorted(shuffled.reversed(), by: { $0 }) == [
            "An Giang", "Anh", "Ăn uống", "Âm nhạc", "Bảo hiểm xã hội", "Công an tỉnh", "Cục Thuế", "Dân tộc", "Đài Phát thanh",
            "Đảng ủy Khối", "Ô tô", "Ốc", "Ơn", "Uống", "Ủy ban MTTQ", "Ưu tiên", "Văn phòng UBND tỉnh",
        ])
        // Tones after letters: ngang, huyền, hỏi, ngã, sắc, nặng; a tone never outweighs a letter.
        #expect(VietnameseText.sorted(["mạ", "má", "mã", "mả", "mà", "ma"], by: { $0 }) == ["ma", "mà", "mả", "mã", "má", "mạ"])
        #expect(VietnameseText.sorted(["mạnh", "mai"], by: { $0 }) == ["mai", "mạnh"])
        // Case and the form of the text (NFC or NFD, runs of spaces) do not matter; ties keep their order.
        #expect(VietnameseText.collationKey("TÒA  án") == VietnameseText.collationKey("To\u{0300}a a\u{0301}n"))
        #expect(VietnameseText.sorted(["B", "a", "A"], by: { $0 }) == ["a", "A", "B"])
        // Nothing a user types ends the process: a lone mark, an empty name, marks on digits or symbols.
        for odd in ["", " ", "\u{0301}", "\u{0301}\u{0306}a", "9\u{0302}", "–\u{031B}", "a\u{0306}\u{0302}\u{031B}\u{0323}"] {
            _ = VietnameseText.collationKey(odd)
        }
    }

    @Test("Days print as dd/MM/yyyy and ISO, zero-padded")
    func days() {
        #expect(Day(2018, 3, 7).vietnamese == "07/03/2018" && Day(2018, 3, 7).description == "2018-03-07")
        #expect(Day(2026, 12, 31).vietnamese == "31/12/2026" && Day(5, 1, 2).description == "0005-01-02")
    }

    @Test("Form text splits into lines whatever the line ending")
    func lines() {
        #expect(VietnameseText.lines("một\r\nhai\nba\rbốn") == ["một", "hai", "ba", "bốn"])
    }

    @Test("Clean returns NFC")
    func nfc() {
        let decomposed = "To\u{0300}a a\u{0301}n"
        #expect(VietnameseText.clean("  \(decomposed) ") == "Tòa án")
        #expect(VietnameseText.clean(decomposed).unicodeScalars.count == 6)
    }

    @Test func formats() {
        let d = VietnameseFormat.parseDate("07/03/2018")!
        #expect(VietnameseFormat.date(d) == "07/03/2018")
        #expect(VietnameseFormat.parseDate("2018-03-07") == d)
        #expect(VietnameseFormat.parseDate("31/02/2018") == nil)
        #expect(VietnameseFormat.parseDate("hôm qua") == nil)
        #expect(VietnameseFormat.number(1234567) == "1.234.567")
        #expect(VietnameseFormat.number(-1000) == "-1.000")
        #expect(VietnameseFormat.number(999) == "999")
        // 23:30 UTC on 6 March is 06:30 on 7 March in Hà Nội time.
        let late = Date(timeIntervalSince1970: 1520379000)
        #expect(VietnameseFormat.date(late) == "07/03/2018")
        #expect(VietnameseFormat.day(late) == Day(2018, 3, 7))
    }
}

@Suite struct ValidationTests {
    @Test func names() throws {
        #expect(throws: DomainError.self) { try Validate.name("   ", field: "n", label: "Tên") }
        #expect(throws: DomainError.self) { try Validate.name(String(repeating: "a", count: 256), field: "n", label: "Tên") }
        #expect(try Validate.name(" Sở Tư pháp ", field: "n", label: "Tên") == "Sở Tư pháp")
        #expect(throws: DomainError.self) { try Validate.username("Nguyễn") }
        #expect(try Validate.username("CanBo.CongAn") == "canbo.congan")
        #expect(throws: DomainError.self) { try Validate.year(1999) }
    }

    @Test("bcrypt's 72-byte limit is enforced, counting UTF-8 bytes")
    func passwords() throws {
        try PasswordPolicy.check(String(repeating: "a", count: 72))
        #expect(throws: DomainError.self) { try PasswordPolicy.check(String(repeating: "a", count: 73)) }
        // 25 "ệ" are 75 bytes although only 25 characters.
        #expect(throws: DomainError.self) { try PasswordPolicy.check(String(repeating: "ệ", count: 25)) }
        #expect(throws: DomainError.self) { try PasswordPolicy.check("short") }
        #expect(PasswordPolicy.random().count == 16)
    }
}

@Suite struct ISODayTests {
    @Test("Day(iso:) reads exactly yyyy-MM-dd of a real date", arguments: [
        ("2018-03-07", Day(2018, 3, 7)), ("2020-02-29", Day(2020, 2, 29)), ("2000-02-29", Day(2000, 2, 29)), ("2024-12-31", Day(2024, 12, 31)),
        ("2019-02-29", nil), ("1900-02-29", nil), ("2018-3-07", nil), ("2018-03-7", nil), ("18-03-07", nil), ("2018-13-01", nil),
        ("2018-00-10", nil), ("2018-04-31", nil), ("2018-04-00", nil), ("2018/03/07", nil), ("2018-03-07x", nil), (" 2018-03-07", nil),
        ("+018-03-07", nil), ("２０１８-03-07", nil), ("", nil), ("abcd-ef-gh", nil),
    ] as [(String, Day?)])
    func parse(text: String, day: Day?) {
        #expect(Day(iso: text) == day)
        if let day { #expect(Day(iso: day.description) == day) }
    }
}
