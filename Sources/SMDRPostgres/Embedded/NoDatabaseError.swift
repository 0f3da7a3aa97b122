/// A command that only reads found no database to read: the embedded cluster does not exist
/// yet, or exists but is stopped. Such commands never create or start it.
public struct NoDatabaseError: Error, Sendable, CustomStringConvertible {
    /// The cluster that was looked for.
    public var cluster: EmbeddedCluster
    /// `true`: the cluster exists but its server is not running; `false`: there is no cluster.
    public var isStopped: Bool

    public init(cluster: EmbeddedCluster, isStopped: Bool) {
        self.cluster = cluster
        self.isStopped = isStopped
    }

    public var description: String {
        let directory = self.cluster.dataDirectory
        if self.isStopped {
            return "the embedded PostgreSQL in \(self.cluster.clusterDirectory) is stopped; "
                + "start it with `smdr db start --data-dir \(directory)`"
        }
        return "no database yet: there is no embedded PostgreSQL in \(self.cluster.clusterDirectory) "
            + "(data directory \(directory)); create it with `smdr migrate --data-dir \(directory)` "
            + "(or `smdr site add`), or choose another with --data-dir, SMDR_DATA or --database"
    }
}
