import Fluent
import Foundation
import Testing
@testable import ThiDuaServer

/// Every model lists its own properties (no reflection per row); each list must be exactly what Fluent would find by
/// reflecting, in the same order, and every model of the sources must be in `ThiDuaModels.all`.
@Suite struct ModelPropertiesTests {
    @Test("Each model's own property list is the one reflection finds")
    func listsMatchReflection() throws {
        for type in ThiDuaModels.all {
            let model = type.init()
            let reflected = Mirror(reflecting: model).children.compactMap { $0.value as? any AnyProperty }
            let listed = model.properties
            #expect(listed.count == reflected.count, "\(type): \(listed.count) listed, \(reflected.count) declared")
            #expect(listed.map { ObjectIdentifier($0) } == reflected.map { ObjectIdentifier($0) }, "\(type): the list differs from the declarations")
        }
    }

    @Test("Every model declared in the sources is in ThiDuaModels.all")
    func catalogueComplete() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/ThiDuaServer")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 20)
        let pattern = try Regex(#"class (\w+): Model\b"#)
        var declared: Set<String> = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: pattern) {
                if let name = match.output[1].substring { declared.insert(String(name)) }
            }
        }
        let listed = Set(ThiDuaModels.all.map { String(describing: $0) })
        #expect(declared == listed, "missing from ThiDuaModels.all: \(declared.subtracting(listed).sorted())")
    }
}
