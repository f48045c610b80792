import Foundation

/// The size and free space of the volume a directory is on (what an unprivileged writer may use).
struct VolumeSpace {
    let total: Int64
    let free: Int64

    init?(directory: String) {
        var volume = statvfs()
        guard statvfs(directory, &volume) == 0 else { return nil }
        let block = Int64(volume.f_frsize)
        total = Int64(volume.f_blocks) &* block
        free = Int64(volume.f_bavail) &* block
    }
}
