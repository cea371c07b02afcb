import Foundation
import OpenAPIKit

/// The JSON Schema of a `Decodable` type, read off the type itself: it is "decoded" from a decoder that records
/// every key asked for (required for `decode`, optional and nullable for `decodeIfPresent`) and its type. So the
/// OpenAPI description is derived from the very DTOs the handlers encode and decode, and cannot drift from them.
///
/// Values are mapped as `JSONEncoder` (ISO 8601 dates) writes them: `UUID` → string/uuid, `Date` → date-time,
/// `String`-backed `CaseIterable` enums → their cases, `[String: V]` → an object of V. A type whose decoding
/// cannot be reflected (it validates its input) becomes an open schema and is listed in `unreflected`.
enum SchemaReflector {
    indirect enum Node: Equatable, Sendable {
        case string(format: JSONTypeFormat.StringFormat, cases: [String]?)
        case integer, number, boolean, any
        case object([Property])
        case array(Node)
        case dictionary(Node)
    }

    struct Property: Equatable, Sendable {
        var name: String
        var node: Node
        var required: Bool
    }

    struct Unreflectable: Error { var type: String }

    /// The schema of `T`, or nil (with the reason) when it cannot be reflected.
    static func node<T: Decodable>(_ type: T.Type) -> Result<Node, Unreflectable> {
        let box = NodeBox()
        do {
            _ = try value(T.self, into: box)
            return .success(box.node)
        } catch {
            return .failure(Unreflectable(type: String(reflecting: T.self)))
        }
    }

    /// Produces a sample `T` while recording its shape into `box`.
    static func value<T: Decodable>(_ type: T.Type, into box: NodeBox) throws -> T {
        if let special = try special(T.self, box: box) { return special }
        // A type inside itself (a criterion's children): the inner occurrence stays open.
        if box.path.contains(ObjectIdentifier(T.self)) { throw Unreflectable(type: "recursive \(T.self)") }
        box.path.insert(ObjectIdentifier(T.self))
        return try T(from: ReflectingDecoder(box: box))
    }

    /// Types whose JSON form is not what their `Decodable` asks of a decoder.
    private static func special<T>(_ type: T.Type, box: NodeBox) throws -> T? {
        if T.self == UUID.self { box.node = .string(format: .uuid, cases: nil); return UUID() as? T }
        if T.self == Date.self { box.node = .string(format: .dateTime, cases: nil); return Date(timeIntervalSince1970: 0) as? T }
        if T.self == URL.self { box.node = .string(format: .uri, cases: nil); return URL(string: "/") as? T }
        if let e = T.self as? any ReflectableEnum.Type {
            let (cases, sample) = e.reflection
            box.node = .string(format: .unspecified, cases: cases)
            return sample as? T
        }
        if let d = T.self as? any ReflectableDictionary.Type {
            box.node = .dictionary((try? d.valueNode(path: box.path)) ?? .any)
            return d.empty as? T
        }
        if let a = T.self as? any ReflectableArray.Type {
            box.node = .array((try? a.elementNode(path: box.path)) ?? .any)
            return a.empty as? T
        }
        return nil
    }
}

/// Where a decoder writes what it saw.
final class NodeBox {
    var node: SchemaReflector.Node = .any
    var properties: [SchemaReflector.Property] = []
    /// The types being reflected around this one (to stop at recursion).
    var path: Set<ObjectIdentifier>
    init(path: Set<ObjectIdentifier> = []) { self.path = path }
}

/// `String`-backed enums: their cases, and one of them as a sample.
protocol ReflectableEnum {
    static var reflection: ([String], Any) { get }
}

extension ReflectableEnum where Self: CaseIterable & RawRepresentable, RawValue == String {
    static var reflection: ([String], Any) {
        let all = Array(allCases)
        return (all.map(\.rawValue), all.first as Any)
    }
}

protocol ReflectableDictionary {
    static func valueNode(path: Set<ObjectIdentifier>) throws -> SchemaReflector.Node
    static var empty: Any { get }
}

extension Dictionary: ReflectableDictionary where Key == String, Value: Decodable {
    static func valueNode(path: Set<ObjectIdentifier>) throws -> SchemaReflector.Node {
        let box = NodeBox(path: path)
        _ = try SchemaReflector.value(Value.self, into: box)
        return box.node
    }
    static var empty: Any { [String: Value]() }
}

/// Arrays are reflected from their element type (so an array inside its own element type stops there).
protocol ReflectableArray {
    static func elementNode(path: Set<ObjectIdentifier>) throws -> SchemaReflector.Node
    static var empty: Any { get }
}

extension Array: ReflectableArray where Element: Decodable {
    static func elementNode(path: Set<ObjectIdentifier>) throws -> SchemaReflector.Node {
        let box = NodeBox(path: path)
        _ = try SchemaReflector.value(Element.self, into: box)
        return box.node
    }
    static var empty: Any { [Element]() }
}

private struct ReflectingDecoder: Decoder {
    let box: NodeBox
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        box.node = .object([])
        return KeyedDecodingContainer(KeyedReflector<Key>(box: box))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { UnkeyedReflector(box: box) }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleReflector(box: box) }
}

private struct KeyedReflector<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let box: NodeBox
    var codingPath: [any CodingKey] = []
    var allKeys: [Key] { [] }

    func record(_ key: Key, _ node: SchemaReflector.Node, required: Bool) {
        box.properties.removeAll { $0.name == key.stringValue }
        box.properties.append(.init(name: key.stringValue, node: node, required: required))
        box.node = .object(box.properties)
    }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { record(key, .boolean, required: true); return false }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { record(key, .string(format: .unspecified, cases: nil), required: true); return "" }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { record(key, .number, required: true); return 0 }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { record(key, .number, required: true); return 0 }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { record(key, .integer, required: true); return 0 }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { record(key, .integer, required: true); return 0 }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { record(key, .integer, required: true); return 0 }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { record(key, .integer, required: true); return 0 }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let inner = NodeBox(path: box.path)
        let v = try SchemaReflector.value(T.self, into: inner)
        record(key, inner.node, required: true)
        return v
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        let inner = NodeBox(path: box.path)
        _ = try? SchemaReflector.value(T.self, into: inner)
        record(key, inner.node, required: false)
        return nil
    }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { record(key, .boolean, required: false); return nil }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { record(key, .string(format: .unspecified, cases: nil), required: false); return nil }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { record(key, .number, required: false); return nil }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { record(key, .integer, required: false); return nil }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { record(key, .integer, required: false); return nil }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw SchemaReflector.Unreflectable(type: "nested container")
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw SchemaReflector.Unreflectable(type: "nested container")
    }
    func superDecoder() throws -> any Decoder { throw SchemaReflector.Unreflectable(type: "super decoder") }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw SchemaReflector.Unreflectable(type: "super decoder") }
}

/// An array: one element is decoded (its schema is the items'), then the array ends.
private struct UnkeyedReflector: UnkeyedDecodingContainer {
    let box: NodeBox
    var codingPath: [any CodingKey] = []
    var count: Int? { 1 }
    var currentIndex = 0
    var isAtEnd: Bool { currentIndex > 0 }

    init(box: NodeBox) {
        self.box = box
        box.node = .array(.any)
    }

    mutating func decodeNil() throws -> Bool { false }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let inner = NodeBox(path: box.path)
        let v = try SchemaReflector.value(T.self, into: inner)
        box.node = .array(inner.node)
        currentIndex += 1
        return v
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        throw SchemaReflector.Unreflectable(type: "nested container")
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { throw SchemaReflector.Unreflectable(type: "nested container") }
    mutating func superDecoder() throws -> any Decoder { throw SchemaReflector.Unreflectable(type: "super decoder") }
}

private struct SingleReflector: SingleValueDecodingContainer {
    let box: NodeBox
    var codingPath: [any CodingKey] = []

    func decodeNil() -> Bool { false }
    func decode(_ type: Bool.Type) throws -> Bool { box.node = .boolean; return false }
    func decode(_ type: String.Type) throws -> String { box.node = .string(format: .unspecified, cases: nil); return "" }
    func decode(_ type: Double.Type) throws -> Double { box.node = .number; return 0 }
    func decode(_ type: Float.Type) throws -> Float { box.node = .number; return 0 }
    func decode(_ type: Int.Type) throws -> Int { box.node = .integer; return 0 }
    func decode(_ type: Int64.Type) throws -> Int64 { box.node = .integer; return 0 }
    func decode(_ type: UInt64.Type) throws -> UInt64 { box.node = .integer; return 0 }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try SchemaReflector.value(T.self, into: box) }
}

extension SchemaReflector.Node {
    /// The OpenAPIKit schema; optional properties are also nullable (the API writes `null` for some, e.g. `met`).
    func schema(required: Bool = true, nullable: Bool = false) -> JSONSchema {
        switch self {
        case .string(let format, let cases):
            return .string(format: format, required: required, nullable: nullable, allowedValues: cases.map { $0.map { AnyCodable($0) } })
        case .integer: return .integer(required: required, nullable: nullable)
        case .number: return .number(required: required, nullable: nullable)
        case .boolean: return .boolean(required: required, nullable: nullable)
        case .any: return .fragment(required: required, nullable: nullable)
        case .array(let items): return .array(required: required, nullable: nullable, items: items.schema())
        case .dictionary(let value): return .object(required: required, nullable: nullable, additionalProperties: .init(value.schema()))
        case .object(let props):
            var properties = OrderedDictionary<String, JSONSchema>()
            for p in props { properties[p.name] = p.node.schema(required: p.required, nullable: !p.required) }
            return .object(required: required, nullable: nullable, properties: properties)
        }
    }
}
