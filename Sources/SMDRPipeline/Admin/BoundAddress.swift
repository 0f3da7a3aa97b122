import NIOCore
import Synchronization

/// A value set once by a running server (its bound address) and awaited by others.
final class BoundAddress: Sendable {
    private enum State {
        case waiting([CheckedContinuation<SocketAddress, any Error>])
        case bound(SocketAddress)
        case failed(any Error)
    }

    private let state = Mutex(State.waiting([]))

    var value: SocketAddress {
        get async throws {
            try await withCheckedThrowingContinuation { continuation in
                let result: Result<SocketAddress, any Error>? = self.state.withLock { state in
                    switch state {
                    case .waiting(var waiters):
                        waiters.append(continuation)
                        state = .waiting(waiters)
                        return nil
                    case .bound(let address): return .success(address)
                    case .failed(let error): return .failure(error)
                    }
                }
                if let result { continuation.resume(with: result) }
            }
        }
    }

    func succeed(_ address: SocketAddress) { self.finish(.success(address)) }
    func fail(_ error: any Error) { self.finish(.failure(error)) }

    private func finish(_ result: Result<SocketAddress, any Error>) {
        let waiters = self.state.withLock { state -> [CheckedContinuation<SocketAddress, any Error>] in
            guard case .waiting(let waiters) = state else { return [] }
            switch result {
            case .success(let address): state = .bound(address)
            case .failure(let error): state = .failed(error)
            }
            return waiters
        }
        for waiter in waiters { waiter.resume(with: result) }
    }
}

/// A counter of open connections with a limit.
final class ConnectionCount: Sendable {
    private let count = Mutex(0)

    func tryIncrement(limit: Int) -> Bool {
        self.count.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func decrement() { self.count.withLock { $0 -= 1 } }
}
