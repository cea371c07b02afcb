import Foundation

/// One event of a ballot session's own hash-chained log: opened (with the voter list's fingerprint), presence, each
/// electronic ballot's receipt hash (never its content, never its voter), paper batches, written opinions, each
/// question's close (with the digest of its ballots and of its result), and the session's close.
public struct BallotEvent: Codable, Sendable, Hashable {
    public var seq: Int
    public var kind: String
    /// The event's facts as canonical JSON (sorted keys).
    public var data: String
    public var prev: String
    public var hash: String

    public init(seq: Int, kind: String, data: String, prev: String, hash: String) {
        self.seq = seq; self.kind = kind; self.data = data; self.prev = prev; self.hash = hash
    }

    public var canonical: String { "\(seq)|\(kind)|\(data)|\(prev)" }
}

public enum BallotLog {
    public static let genesis = String(repeating: "0", count: 64)

    /// The next event after `last` (or the first).
    public static func next(after last: BallotEvent?, kind: String, data: [String: String]) -> BallotEvent {
        let seq = (last?.seq ?? 0) + 1
        let prev = last?.hash ?? genesis
        var e = BallotEvent(seq: seq, kind: kind, data: canonicalJSON(data), prev: prev, hash: "")
        e.hash = SHA256Digest.hex(e.canonical)
        return e
    }

    public static func canonicalJSON(_ data: [String: String]) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? e.encode(data)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The fingerprint of a voter list: the hash of the sorted ids, so that the list cannot change after opening.
    public static func fingerprint(voters: [UUID]) -> String {
        SHA256Digest.hex(voters.map(\.uuidString).sorted().joined(separator: "\n"))
    }

    /// The digest of a question's ballots (by id, with content and paper flag): any ballot altered, removed or added
    /// changes it.
    public static func digest(ballots: [Ballot]) -> String {
        SHA256Digest.hex(ballots.sorted { $0.id < $1.id }.map { "\($0.id)|\($0.paper ? "paper" : "e")|\($0.content.canonical)" }.joined(separator: "\n"))
    }

    public static func digest(result: QuestionResult) -> String {
        SHA256Digest.hex(canonical(result))
    }

    /// Any value as canonical JSON (sorted keys): what the server stores for questions, results and ballots.
    public static func canonicalText<T: Encodable>(_ value: T) -> String { canonical(value) }

    /// A stored ballot's content; what does not read as one counts as an invalid ballot (never a crash).
    public static func decodeContent(_ text: String) -> BallotContent {
        (try? JSONDecoder().decode(BallotContent.self, from: Data(text.utf8))) ?? .invalidPaper
    }

    static func canonical<T: Encodable>(_ value: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? e.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// The hash of a receipt (what the log and the published list hold; the receipt itself stays with the voter).
    public static func receiptHash(_ receipt: String) -> String { SHA256Digest.hex("thidua-receipt|" + receipt) }
}

/// A session exported as one file: its log, and per question the list, rule, electorate, the ballots' contents in
/// no meaningful order (sorted by their random ids), written opinions, show-of-hands counts and the published
/// result; the receipt hashes separately. `thidua ballots verify FILE` checks it offline.
public struct BallotSessionRecord: Codable, Sendable {
    public var format: String
    public var session: String
    public var title: String
    public var events: [BallotEvent]
    public var questions: [QuestionRecord]
    /// Receipt hashes of the electronic ballots, sorted.
    public var receipts: [String]
    /// The application's audit chain head when the result was recorded.
    public var auditHead: String?

    public static let formatName = "thidua-ballot-session/1"

    public struct QuestionRecord: Codable, Sendable {
        public var question: Question
        public var electorate: Electorate
        public var ballots: [Ballot]
        public var written: [WrittenOpinion]
        public var openCounts: [OpenCount]
        public var result: QuestionResult

        public init(question: Question, electorate: Electorate, ballots: [Ballot], written: [WrittenOpinion], openCounts: [OpenCount], result: QuestionResult) {
            self.question = question; self.electorate = electorate; self.ballots = ballots.sorted { $0.id < $1.id }
            self.written = written.sorted { $0.voter.uuidString < $1.voter.uuidString }; self.openCounts = openCounts; self.result = result
        }
    }

    public init(session: String, title: String, events: [BallotEvent], questions: [QuestionRecord], receipts: [String], auditHead: String?) {
        self.format = Self.formatName; self.session = session; self.title = title; self.events = events
        self.questions = questions; self.receipts = receipts.sorted(); self.auditHead = auditHead
    }
}

public enum BallotVerifier {
    /// What is wrong with an exported session, in Vietnamese (empty when the chain, the ballots, the receipts and
    /// every recomputed result match what was published).
    public static func problems(_ r: BallotSessionRecord) -> [String] {
        var out: [String] = []
        guard r.format == BallotSessionRecord.formatName else { return ["Định dạng tệp “\(r.format.prefix(60))” không phải \(BallotSessionRecord.formatName)."] }
        var prev = BallotLog.genesis
        for (i, e) in r.events.enumerated() {
            if e.seq != i + 1 { out.append("Sự kiện thứ \(i + 1) mang số \(e.seq): nhật ký bị thêm, bớt hoặc đảo thứ tự."); break }
            if e.prev != prev { out.append("Sự kiện \(e.seq) (\(e.kind)) không nối với sự kiện trước: chuỗi bị cắt."); break }
            if SHA256Digest.hex(e.canonical) != e.hash { out.append("Sự kiện \(e.seq) (\(e.kind)) đã bị sửa: mã băm không khớp."); break }
            prev = e.hash
        }
        let decoded: [(kind: String, data: [String: String])] = r.events.map { e in
            (e.kind, (try? JSONDecoder().decode([String: String].self, from: Data(e.data.utf8))) ?? [:])
        }
        let receiptEvents = decoded.filter { $0.kind == "ballot" }
        if receiptEvents.map({ $0.data["receiptHash"] ?? "" }).sorted() != r.receipts {
            out.append("Danh sách biên nhận không khớp với các phiếu ghi trong nhật ký.")
        }
        for q in r.questions {
            let id = q.question.id
            let name = "Câu hỏi “\(q.question.title)”"
            guard let closed = decoded.last(where: { $0.kind == "questionClosed" && $0.data["question"] == id })?.data else {
                out.append("\(name): nhật ký không ghi việc kết thúc bỏ phiếu."); continue
            }
            if BallotLog.digest(ballots: q.ballots) != closed["ballotsDigest"] {
                out.append("\(name): các phiếu trong tệp khác với các phiếu lúc kết thúc (phiếu bị sửa, bớt hoặc thêm).")
            }
            if String(q.ballots.count) != closed["received"] {
                out.append("\(name): \(q.ballots.count) phiếu trong tệp, nhật ký ghi \(closed["received"] ?? "?") phiếu thu về.")
            }
            let electronic = q.ballots.filter { !$0.paper }.count
            let logged = receiptEvents.filter { $0.data["question"] == id }.count
            if electronic != logged { out.append("\(name): \(electronic) phiếu điện tử trong tệp, nhật ký ghi \(logged) biên nhận.") }
            let paperLogged = decoded.filter { $0.kind == "paper" && $0.data["question"] == id }.compactMap { Int($0.data["count"] ?? "") }.reduce(0, +)
            if q.ballots.count - electronic != paperLogged {
                out.append("\(name): \(q.ballots.count - electronic) phiếu giấy trong tệp, nhật ký ghi \(paperLogged).")
            }
            do {
                let again = try Tally.count(q.question, electorate: q.electorate, ballots: q.ballots, written: q.written, openCounts: q.openCounts)
                if BallotLog.digest(result: again) != BallotLog.digest(result: q.result) {
                    out.append("\(name): kiểm lại từ các phiếu cho kết quả khác với kết quả đã công bố.")
                }
            } catch {
                out.append("\(name): không kiểm lại được (\(error)).")
            }
            if BallotLog.digest(result: q.result) != closed["resultDigest"] {
                out.append("\(name): kết quả trong tệp khác với kết quả ghi trong nhật ký lúc kết thúc.")
            }
        }
        return out
    }
}
