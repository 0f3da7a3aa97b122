#if canImport(Glibc)
import Glibc
#endif
import SMDRPostgres

/// Gives memory the allocator holds but no longer uses back to the operating system.
///
/// glibc keeps freed memory in per-thread arenas for reuse, so after a burst (a PBX's backlog
/// loaded in 5000-line batches) a long-running `smdr serve` would keep its peak size for good.
/// The loader calls ``release()`` when it has caught up with the journal after loading at least
/// a batch's worth of lines, at most every 10 seconds, which brings the resident size back to
/// what the connections actually use. A trim walks the heap under the allocator's locks, so it
/// runs on the blocking-I/O thread pool, not on a cooperative thread.
enum FreeMemory {
    #if canImport(Glibc)
    private typealias MallocTrim = @convention(c) (Int) -> Int32
    /// glibc's `malloc_trim`, looked up at run time: Swift's Glibc module does not declare it.
    private static let mallocTrim: MallocTrim? = {
        guard let symbol = dlsym(nil, "malloc_trim") else { return nil }  // nil: RTLD_DEFAULT
        return unsafeBitCast(symbol, to: MallocTrim.self)
    }()
    #endif

    /// Returns free heap memory to the system where the platform allows it; otherwise does nothing.
    /// Runs on the blocking-I/O thread pool; does nothing when that pool has shut down.
    static func release() async {
        #if canImport(Glibc)
        guard Self.mallocTrim != nil else { return }
        _ = try? await BlockingWork.run { Self.mallocTrim?(0) }
        #endif
    }
}
