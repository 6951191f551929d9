#if canImport(Glibc)
    import CMalloc
    import Glibc
#endif

/// Process-wide allocator settings for large numeric requests: an executable's decision, applied by
/// `nabla serve` before any worker thread allocates.
///
/// A large answer allocates large blocks: a 100,000-point derivative writes several 0.8 MB arrays and
/// a 5.8 MB body. glibc maps blocks above its mmap threshold afresh and returns the heap's free top to
/// the kernel past its trim threshold, so each such request would pay again for page faults and the
/// kernel's zeroing of every page (about 30 % of the time at 1,000,000 points, `NablaBenchmarks
/// derivative`). The settings below keep those pages in the process for the next request instead.
enum MemoryTuning {
    /// Blocks up to this size come from the heap, where freed ones are reused. glibc starts at
    /// 128 KiB and raises the threshold only as mapped blocks are freed, up to 32 MiB.
    static let mmapThreshold: Int32 = 32 << 20
    /// Free memory at the heap's top is returned to the kernel only past this much. Freed memory up
    /// to this size may stay resident per arena after a burst of large requests: the cost.
    static let trimThreshold: Int32 = 64 << 20

    /// At most this many malloc arenas: the core count (at least 2). glibc allows 8 per core, and a
    /// thread that allocates while the others hold theirs may start one, so resident memory would
    /// keep growing in steps (each with up to `trimThreshold` of free memory) as threads find new ones.
    static var arenaLimit: Int32 {
        #if canImport(Glibc)
            Int32(max(2, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
            2
        #endif
    }

    /// Applies the settings; call once at process start, before worker threads allocate. Elsewhere
    /// than glibc, nothing. Returns whether glibc accepted them all (the service runs either way).
    @discardableResult
    static func apply() -> Bool {
        #if canImport(Glibc)
            let accepted = [
                CMalloc_mallopt(M_MMAP_THRESHOLD, mmapThreshold),
                CMalloc_mallopt(M_TRIM_THRESHOLD, trimThreshold),
                CMalloc_mallopt(M_ARENA_MAX, arenaLimit),
            ]
            return accepted.allSatisfy { $0 == 1 }
        #else
            return true
        #endif
    }
}
