extension PlanNode {
    /// Whether the plan's figures are synthetic or published: from every table it reads (scans,
    /// files, and those under `let` relations), synthetic if any of them is. Relation literals say nothing.
    var provenance: Provenance? {
        var parts: [Provenance?] = []
        var stack: [PlanNode] = [self]
        while let node = stack.popLast() {
            switch node.op {
            case .scan(_, let fetch): parts.append(fetch.provenance)
            case .readFile(let path, _): parts.append(Provenance.of(path: path))
            default: break
            }
            stack.append(contentsOf: node.children)
        }
        return Provenance.combined(parts)
    }
}
