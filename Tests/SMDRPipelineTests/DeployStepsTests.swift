import Foundation
import SMDRTestSupport
import Testing

/// The install steps at the top of `deploy/smdr.service` work as written: scripts/check-deploy.sh
/// runs them verbatim in a scratch root (system changes faked, as it says) with the built `smdr`,
/// starts the service as the unit would, and checks the files, the site and the running service.
struct DeployStepsTests {
    private static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(.timeLimit(.minutes(5))) func theInstallStepsOfTheUnitWorkVerbatim() async throws {
        let script = Self.root.appendingPathComponent("scripts/check-deploy.sh").path
        let result = try await TestProcess.run("/bin/bash", [script, TestProcess.smdrExecutable], timeout: .seconds(240))
        // The steps start the service before adding a site. Until `serve` starts without a site
        // (issue 8, 2.6, the serve half), it exits 2 there. Remove this wrapper with that change:
        // the known issue then no longer occurs, which fails this test until it is removed.
        withKnownIssue("smdr serve exits 2 without a site") {
            #expect(result.status == 0, "check-deploy.sh failed:\n\(result.standardOutput)\n\(result.standardError)")
            #expect(result.standardOutput.contains("check-deploy: OK"))
        }
        #expect(!result.standardError.contains("check-deploy: FAIL") || result.standardError.contains("no sites"))
    }
}
