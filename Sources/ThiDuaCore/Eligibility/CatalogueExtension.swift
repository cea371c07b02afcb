import Foundation

/// A province's or ministry's own catalogue file, read on top of the shipped one: it adds and never replaces wholesale.
///
/// - new award kinds and regimes (a kind or regime the shipped catalogue has is refused, with file, line and reason);
/// - rules: for a kind, regime and subject the shipped catalogue has no rule for, the file's rule is the rule; where it
///   has one, the file's conditions are **added** to it (both must hold), each citing the province's text;
/// - parameters: an id the shipped catalogue has is overridden for the regimes named (same type, the province's citation);
/// - vote rules: the file's come before the shipped ones for the same body, regime and award.
extension Catalogue {
    public func extended(contentsOf url: URL) throws -> Catalogue {
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw DataFileError(file: url.lastPathComponent, line: nil, reason: "không đọc được tệp (phải là văn bản UTF-8)")
        }
        return try extended(with: text, file: url.lastPathComponent)
    }

    public func extended(with text: String, file: String) throws -> Catalogue {
        adding(try CatalogueLoader(file: file, base: self).load(text))
    }

    /// Adds a file read against this catalogue (`CatalogueLoader.base`), so every code it names is known here.
    func adding(_ own: Catalogue) -> Catalogue {
        var c = self
        c.name = "\(name) + \(own.name)"
        c.version = "\(version) + \(own.version)"
        c.regimes += own.regimes
        for (k, v) in own.awards { c.awards[k] = v }
        for rule in own.rules {
            for r in rule.regimes {
                var single = rule
                single.regimes = [r]
                single.intervals = rule.intervals.filter { $0.regimes?.contains(r) ?? true }
                // Rules are only appended and regimes only taken off: the index of every other (award, regime, subject)
                // stays right until the end, and a file has one rule per key (the loader refuses a second).
                guard let i = c.ruleIndex[rule.award]?["\(r)@\(rule.subject.rawValue)"] else {
                    c.rules.append(single)
                    continue
                }
                var combined = c.rules[i]
                c.rules[i].regimes.removeAll { $0 == r }
                combined.regimes = [r]
                var extra = rule.when
                if extra.text == nil, case .all = extra.condition { extra.text = "Điều kiện thêm theo \(own.name)" }
                if extra.text == nil, case .any = extra.condition { extra.text = "Điều kiện thêm theo \(own.name) (đạt ít nhất một)" }
                if case .all(let children) = combined.when.condition, combined.when.text == nil, combined.when.onlyIf == nil {
                    combined.when.condition = .all(children + [extra])
                } else {
                    combined.when = ConditionNode(condition: .all([combined.when, extra]), cites: nil, confidence: nil, text: nil, line: combined.when.line)
                }
                combined.note = [combined.note, rule.note.map { "\(own.name): \($0)" }].compactMap { $0 }.joined(separator: " ")
                if combined.interval(in: r) == nil { combined.intervals += single.intervals }
                c.rules.append(combined)
            }
        }
        for p in own.parameters {
            for idx in c.parameters.indices where c.parameters[idx].id == p.id { c.parameters[idx].regimes.removeAll { p.regimes.contains($0) } }
            c.parameters.removeAll { $0.regimes.isEmpty }
            c.parameters.append(p)
        }
        // A province's vote rule for a body, regime and award comes before the shipped one.
        c.voteRules = own.voteRules + c.voteRules
        c.reindex()
        return c
    }
}
