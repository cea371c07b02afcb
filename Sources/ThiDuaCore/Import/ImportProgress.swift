import Foundation

/// Where an import stands, for the progress display of a large file: the step, how far into it, and the same in
/// Vietnamese. `percent` weighs the steps by what they cost on a 100.000-row file (reading ~25 %, checking ~45 %,
/// comparing ~10 %, writing ~20 %), so that the bar moves at an even pace; it never goes back.
public struct ImportProgress: Sendable, Equatable, Codable {
    public enum Step: String, Sendable, Codable, CaseIterable {
        case reading, checking, comparing, writing, done
    }

    public var step: Step
    public var done: Int
    public var total: Int

    public init(_ step: Step, done: Int = 0, total: Int = 0) {
        self.step = step
        self.done = max(0, done)
        self.total = max(0, total)
    }

    /// Share of the step done, 0…1 (0 when the total is not known).
    var fraction: Double { total > 0 ? min(1, Double(min(done, total)) / Double(total)) : 0 }

    public var percent: Int {
        let (start, width): (Double, Double) = switch step {
        case .reading: (0, 25)
        case .checking: (25, 45)
        case .comparing: (70, 10)
        case .writing: (80, 20)
        case .done: (100, 0)
        }
        return Int((start + width * fraction).rounded(.down))
    }

    public var text: String {
        switch step {
        case .reading: "Đang đọc tệp…"
        case .checking: "Đang kiểm tra dòng \(VietnameseFormat.number(done)) / \(VietnameseFormat.number(total))"
        case .comparing: "Đang so với sổ đã lưu…"
        case .writing: "Đang ghi \(VietnameseFormat.number(done)) / \(VietnameseFormat.number(total)) bản ghi"
        case .done: "Xong"
        }
    }
}
