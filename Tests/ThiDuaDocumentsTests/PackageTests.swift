import Foundation
import Testing
@testable import ThiDuaDocuments

@Suite struct PackageTests {
    @Test("A package round-trips its parts through ZIP, in NFC")
    func roundTrip() throws {
        var p = OOXMLPackage()
        p.add("[Content_Types].xml", xml: "<Types/>")
        p.add("word/document.xml", xml: "<w:t>\(XMLText.escape("Tòa án & \"Viện\" <kiểm sát>"))</w:t>")
        let zip = try p.zipped()
        #expect(zip.prefix(2) == Data([0x50, 0x4B]))
        let parts = try OOXMLPackage.parts(of: zip)
        #expect(Set(parts.keys) == ["[Content_Types].xml", "word/document.xml"])
        let doc = String(decoding: parts["word/document.xml"]!, as: UTF8.self)
        #expect(doc == "<w:t>Tòa án &amp; &quot;Viện&quot; &lt;kiểm sát&gt;</w:t>")
    }

    @Test func dropsForbiddenControlCharacters() {
        #expect(XMLText.escape("a\u{1}b\tc") == "ab\tc")
    }
}
