import Foundation

/// What the `thidua eligibility` commands and the API share: load a catalogue, read case files,
/// evaluate, and write JSON.
public enum EligibilityRunner {
    /// The built-in catalogue, merged with `extra` files when given (a province's or ministry's own rules).
    public static func catalogue(extra: [URL] = []) throws -> Catalogue {
        var c = try Catalogue.builtIn()
        for url in extra { c = try c.extended(contentsOf: url) }
        return c
    }

    public static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// Evaluates one case file and returns the report as JSON.
    public static func check(caseData: Data, file: String, catalogue: Catalogue) throws -> Data {
        let c = try CaseFileReader(catalogue: catalogue, file: file).read(caseData)
        return try encoder.encode(EligibilityEvaluator(catalogue: catalogue).evaluate(c))
    }

    /// Counts of verdicts per award over many cases.
    public struct BulkSummary: Codable, Sendable, Equatable {
        public var subjects: Int
        public var regimes: [String: Int]
        public var verdicts: [String: [String: Int]]
        public var errors: [String]
        /// Where the time went (the register path): loading the facts, and judging them (the engine alone).
        public var timing: Timing?

        public struct Timing: Codable, Sendable, Equatable {
            public var loadSeconds: Double
            public var judgeSeconds: Double
            /// (load + judge) / judge: how many times the engine alone the whole run took.
            public var ratioToEngine: Double
            public var peakMemoryMB: Double
            public init(loadSeconds: Double, judgeSeconds: Double, peakMemoryMB: Double) {
                self.loadSeconds = loadSeconds; self.judgeSeconds = judgeSeconds; self.peakMemoryMB = peakMemoryMB
                ratioToEngine = judgeSeconds > 0 ? (loadSeconds + judgeSeconds) / judgeSeconds : 0
            }
        }

        public init(subjects: Int = 0, regimes: [String: Int] = [:], verdicts: [String: [String: Int]] = [:], errors: [String] = []) {
            self.subjects = subjects; self.regimes = regimes; self.verdicts = verdicts; self.errors = errors
        }
    }

    /// Evaluates JSON-lines case files (one case per line); a bad line is reported and the others go on.
    public static func bulk(lines: [Substring], file: String, catalogue: Catalogue) -> BulkSummary {
        let evaluator = EligibilityEvaluator(catalogue: catalogue)
        var summary = BulkSummary(subjects: 0, regimes: [:], verdicts: [:], errors: [])
        for (i, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                let c = try CaseFileReader(catalogue: catalogue, file: "\(file):\(i + 1)").read(Data(line.utf8))
                let regime = try evaluator.regime(for: c)
                summary.regimes[regime.id, default: 0] += 1
                for (award, verdict) in try evaluator.verdicts(c) { summary.verdicts[award, default: [:]][verdict.rawValue, default: 0] += 1 }
                summary.subjects += 1
            } catch {
                summary.errors.append("\(error)")
            }
        }
        return summary
    }
}
