import Foundation

/// The register written in the import template's layout, sheet by sheet, so that an export imported again changes
/// nothing. Pure: the server gives the rows it may show.
public enum RegisterExport {
    public struct UnitRow: Sendable { public var id: UUID; public var officialName: String; public var shortName: String?; public var kind: UnitKind; public var sector: String?
        public init(id: UUID, officialName: String, shortName: String?, kind: UnitKind, sector: String?) {
            self.id = id; self.officialName = officialName; self.shortName = shortName; self.kind = kind; self.sector = sector
        }
    }
    public struct PersonRow: Sendable { public var id: UUID; public var unitID: UUID; public var fullName: String; public var gender: Gender?; public var birthYear: Int?; public var position: String?
        public var serviceStart: Day?
        public init(id: UUID, unitID: UUID, fullName: String, gender: Gender?, birthYear: Int?, position: String?, serviceStart: Day? = nil) {
            self.id = id; self.unitID = unitID; self.fullName = fullName; self.gender = gender; self.birthYear = birthYear; self.position = position
            self.serviceStart = serviceStart
        }
    }
    /// A fact's owner: "u:<id>" or "p:<id>", as the register keys them.
    public struct Fact: Sendable {
        public var subjectKey: String
        public var values: [ImportField: ImportCell]
        public init(subjectKey: String, values: [ImportField: ImportCell]) { self.subjectKey = subjectKey; self.values = values }
    }

    /// Header and rows per sheet kind, in the template's column order; people and facts sorted by unit and name.
    public static func sheets(units: [UnitRow], people: [PersonRow], facts: [ImportSheetKind: [Fact]]) -> [(ImportSheetKind, [String], [[ImportCell]])] {
        let unitByID = Dictionary(units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let personByID = Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func text(_ s: String?) -> ImportCell { s.map { .text($0) } ?? .empty }
        func subject(_ key: String) -> (unit: String, name: String?, birth: Int?)? {
            let id = UUID(uuidString: String(key.dropFirst(2)))
            if key.hasPrefix("u:"), let id, let u = unitByID[id] { return (u.officialName, nil, nil) }
            if key.hasPrefix("p:"), let id, let p = personByID[id], let u = unitByID[p.unitID] { return (u.officialName, p.fullName, p.birthYear) }
            return nil
        }
        var out: [(ImportSheetKind, [String], [[ImportCell]])] = []
        for kind in ImportSheetKind.allCases {
            let columns = kind.columns
            var rows: [([ImportCell], [UInt32])] = []
            switch kind {
            case .units:
                for u in units {
                    let v: [ImportField: ImportCell] = [.officialName: .text(u.officialName), .shortName: text(u.shortName), .unitKind: .text(u.kind.label), .sector: text(u.sector)]
                    rows.append((columns.map { v[$0.field] ?? .empty }, VietnameseText.collationKey(u.officialName)))
                }
            case .people:
                for p in people {
                    guard let u = unitByID[p.unitID] else { continue }
                    let v: [ImportField: ImportCell] = [.unit: .text(u.officialName), .fullName: .text(p.fullName), .gender: text(p.gender.map { $0 == .male ? "Nam" : "Nữ" }),
                                                        .birthYear: p.birthYear.map { .number(Double($0)) } ?? .empty, .position: text(p.position),
                                                        .serviceStart: text(p.serviceStart?.vietnamese)]
                    rows.append((columns.map { v[$0.field] ?? .empty }, VietnameseText.collationKey(u.officialName + "|" + p.fullName)))
                }
            default:
                for f in facts[kind] ?? [] {
                    guard let s = subject(f.subjectKey) else { continue }
                    var v = f.values
                    v[.unit] = .text(s.unit); v[.fullName] = text(s.name); v[.birthYear] = s.birth.map { .number(Double($0)) } ?? .empty
                    let year = v[.year].map(\.shown) ?? v[.from].map(\.shown) ?? ""
                    rows.append((columns.map { v[$0.field] ?? .empty }, VietnameseText.collationKey(s.unit + "|" + (s.name ?? "") + "|" + year)))
                }
            }
            out.append((kind, columns.map(\.header), rows.sorted { $0.1.lexicographicallyPrecedes($1.1) }.map(\.0)))
        }
        return out
    }
}
