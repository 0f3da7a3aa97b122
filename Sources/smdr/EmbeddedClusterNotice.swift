import Foundation
import SMDRPostgres

/// What `smdr serve` says on exit when it used the embedded cluster: its PostgreSQL server
/// keeps running (`pg_ctl` daemonised it), which nothing else would tell the operator.
enum EmbeddedClusterNotice {
    /// The notice for `selection`, or `nil` when smdr uses another database or runs as a systemd
    /// service (`INVOCATION_ID` set), where the server stops with the service's control group.
    static func serverKeepsRunning(_ selection: DatabaseSelection) -> String? {
        guard let cluster = selection.embeddedCluster, ProcessInfo.processInfo.environment["INVOCATION_ID"] == nil else {
            return nil
        }
        let quoted = "'" + cluster.dataDirectory.replacingOccurrences(of: "'", with: "'\\''") + "'"
        return "smdr: the embedded PostgreSQL server keeps running in \(cluster.clusterDirectory); "
            + "stop it with: smdr db stop --data-dir \(quoted)\n"
    }
}
