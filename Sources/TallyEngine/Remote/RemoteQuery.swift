/// A plan subtree lowered to SQL: the statement, the connection it runs on, and the subtree it
/// stands for (which `.explain` shows under it).
final class RemoteQuery: @unchecked Sendable {
    /// Immutable after creation.
    let connection: PostgresConnection
    let sql: String
    let subtree: PlanNode

    init(connection: PostgresConnection, sql: String, subtree: PlanNode) {
        self.connection = connection
        self.sql = sql
        self.subtree = subtree
    }
}

/// Finds the largest subtrees of a plan whose tables all live in one connected database and
/// whose steps all have an SQL form, and puts a `.remote` node, one statement, in place of each.
/// What is left runs in memory over the rows those statements bring back: a plan mixing a local
/// file and a database table sends the database's part there; `pivot` or `describe` over a
/// database table pulls only the rows the steps below it leave.
enum RemoteSplit {
    static func split(_ node: PlanNode) -> PlanNode {
        guard readsDatabase(node) else { return node }
        if let (sql, connection) = try? SQLLowering.lower(node) {
            return PlanRewriter.rebuild(node, .remote(RemoteQuery(connection: connection, sql: sql, subtree: node)))
        }
        let op: PlanOperator
        switch node.op {
        case .scan, .readFile, .values, .input, .remote: op = node.op
        case .alias(let c, let name): op = .alias(split(c), name)
        case .keep(let c, let columns): op = .keep(split(c), columns)
        case .project(let c, let p): op = .project(split(c), p)
        case .filter(let c, let p): op = .filter(split(c), p)
        case .sort(let c, let keys, let limit): op = .sort(split(c), keys, limit: limit)
        case .take(let c, let range): op = .take(split(c), range)
        case .aggregate(let c, let keys, let values): op = .aggregate(split(c), keys: keys, values: values)
        case .join(let l, let r, let spec): op = .join(split(l), split(r), spec)
        case .setOperation(let a, let b, let spec): op = .setOperation(split(a), split(b), spec)
        case .append(let a, let b): op = .append(split(a), split(b))
        case .loop(let c, let body): op = .loop(split(c), body: split(body))
        case .groupApply(let c, let keys, let body): op = .groupApply(split(c), keys: keys, body: split(body))
        case .inMemory(let c, let t): op = .inMemory(split(c), t)
        case .deferred(let c, let d): op = .deferred(split(c), d)
        case .materialize(let c, let name, let lazy): op = .materialize(split(c), name: name, lazy)
        }
        return PlanRewriter.rebuild(node, op)
    }

    /// Whether a scan below `node` reads a database table.
    static func readsDatabase(_ node: PlanNode) -> Bool {
        if case .scan(_, let fetch) = node.op { return fetch.remote != nil }
        return node.children.contains(where: readsDatabase)
    }
}
