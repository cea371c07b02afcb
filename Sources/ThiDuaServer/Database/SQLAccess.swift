import Fluent
import SQLKit
import ThiDuaCore

extension Database {
    /// This database as SQL. Both databases ThiDua runs on (SQLite, PostgreSQL) are; the hot reads (who is asking,
    /// the register's batches) use it to skip Fluent's model decoding.
    func sql() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { throw DomainError.invalid("Cơ sở dữ liệu không hỗ trợ SQL.") }
        return sql
    }
}
