import Foundation
import ThiDuaCore
import Vapor

/// Uploaded files by content: each stored once under its SHA-256 (`ab/cd/abcd…`), written to a temporary name and
/// moved into place, so that a half-written file is never read; checked against its hash when read back.
struct FileStore: Sendable {
    let root: URL

    init(root: String) { self.root = URL(fileURLWithPath: root, isDirectory: true) }

    func path(_ hash: String) -> URL {
        root.appendingPathComponent(String(hash.prefix(2)), isDirectory: true)
            .appendingPathComponent(String(hash.dropFirst(2).prefix(2)), isDirectory: true)
            .appendingPathComponent(hash)
    }

    /// Stores `data` (if not already there) and returns its hash.
    func put(_ data: Data) throws -> String {
        let hash = Hex.lower(SHA256Digest.hash(Array(data)))
        let target = path(hash)
        let fm = FileManager.default
        // Already there and intact: nothing to write. Damaged (not matching its name): written again from these bytes.
        if let existing = try? Data(contentsOf: target) {
            if Hex.lower(SHA256Digest.hash(Array(existing))) == hash { return hash }
            try data.write(to: target, options: .atomic)
            return hash
        }
        try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(hash).\(UUID().uuidString).tmp")
        try data.write(to: temporary, options: .atomic)
        do {
            try fm.moveItem(at: temporary, to: target)
        } catch {
            // Another upload of the same bytes got there first: the same content is in place.
            try? fm.removeItem(at: temporary)
            if !fm.fileExists(atPath: target.path) { throw error }
        }
        return hash
    }

    /// The bytes stored under `hash`; a 409 when they are missing or no longer match it.
    func get(_ hash: String) throws -> Data {
        guard hash.count == 64, hash.allSatisfy({ $0.isHexDigit }), let data = try? Data(contentsOf: path(hash)) else {
            throw DomainError.conflict("Không tìm thấy nội dung tệp trong kho lưu trữ; hãy báo quản trị viên.")
        }
        guard Hex.lower(SHA256Digest.hash(Array(data))) == hash else {
            throw DomainError.conflict("Nội dung tệp trong kho lưu trữ đã bị thay đổi (không khớp mã băm); hãy báo quản trị viên.")
        }
        return data
    }
}

struct FileStoreKey: StorageKey { typealias Value = FileStore }

extension Application {
    var fileStore: FileStore {
        get { storage[FileStoreKey.self] ?? FileStore(root: "./thidua-files") }
        set { storage[FileStoreKey.self] = newValue }
    }
}
