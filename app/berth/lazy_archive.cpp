// libarchive, loaded on first use (see lazy_library.h): only load/save/import/build and
// layer extraction need it.
#include "lazy_library.h"

#include <archive.h>
#include <archive_entry.h>

#include <cstdarg>

namespace {
berth::cli::lazy::Library g_archive("libarchive.so.13", ARCHIVE_FATAL);
}

using Ar = struct archive;
using En = struct archive_entry;

// printf-style: formatted here, handed over as "%s".
extern "C" void archive_set_error(Ar* a, int err, const char* fmt, ...) {
    using Fn = void (*)(Ar*, int, const char*, ...);
    static const Fn real = reinterpret_cast<Fn>(g_archive.symbol("archive_set_error"));
    if (!real) return;
    if (!fmt) return real(a, err, nullptr);
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    real(a, err, "%s", buf);
}

#define AR(ret, name, params, args) BERTH_LAZY_FORWARD(g_archive, ret, name, params, args)

// Readers
AR(Ar*, archive_read_new, (void), ())
AR(int, archive_read_free, (Ar * a), (a))
AR(int, archive_read_support_format_tar, (Ar * a), (a))
AR(int, archive_read_support_format_gnutar, (Ar * a), (a))
AR(int, archive_read_support_format_raw, (Ar * a), (a))
AR(int, archive_read_support_format_empty, (Ar * a), (a))
AR(int, archive_read_support_filter_all, (Ar * a), (a))
AR(int, archive_read_support_filter_zstd, (Ar * a), (a))
AR(int, archive_read_support_filter_gzip, (Ar * a), (a))
AR(int, archive_read_open_filename, (Ar * a, const char* f, size_t bs), (a, f, bs))
AR(int, archive_read_open_fd, (Ar * a, int fd, size_t bs), (a, fd, bs))
AR(int, archive_read_open,
   (Ar * a, void* data, archive_open_callback* o, archive_read_callback* r, archive_close_callback* c),
   (a, data, o, r, c))
AR(int, archive_read_next_header, (Ar * a, En** e), (a, e))
AR(la_ssize_t, archive_read_data, (Ar * a, void* buf, size_t n), (a, buf, n))
AR(int, archive_read_data_block, (Ar * a, const void** buf, size_t* n, la_int64_t* off), (a, buf, n, off))
AR(la_int64_t, archive_filter_bytes, (Ar * a, int n), (a, n))
AR(const char*, archive_error_string, (Ar * a), (a))

// Writers
AR(Ar*, archive_write_new, (void), ())
AR(Ar*, archive_write_disk_new, (void), ())
AR(int, archive_write_free, (Ar * a), (a))
AR(int, archive_write_close, (Ar * a), (a))
AR(int, archive_write_set_format_pax, (Ar * a), (a))
AR(int, archive_write_set_format_pax_restricted, (Ar * a), (a))
AR(int, archive_write_set_format_option, (Ar * a, const char* m, const char* o, const char* v), (a, m, o, v))
AR(int, archive_write_set_bytes_in_last_block, (Ar * a, int n), (a, n))
AR(int, archive_write_disk_set_options, (Ar * a, int flags), (a, flags))
AR(int, archive_write_open_fd, (Ar * a, int fd), (a, fd))
AR(int, archive_write_open,
   (Ar * a, void* data, archive_open_callback* o, archive_write_callback* w, archive_close_callback* c),
   (a, data, o, w, c))
AR(int, archive_write_header, (Ar * a, En* e), (a, e))
AR(la_ssize_t, archive_write_data, (Ar * a, const void* buf, size_t n), (a, buf, n))
AR(la_ssize_t, archive_write_data_block, (Ar * a, const void* buf, size_t n, la_int64_t off), (a, buf, n, off))
AR(int, archive_write_finish_entry, (Ar * a), (a))

// Entries
AR(En*, archive_entry_new, (void), ())
AR(void, archive_entry_free, (En * e), (e))
AR(const char*, archive_entry_pathname, (En * e), (e))
AR(const char*, archive_entry_pathname_utf8, (En * e), (e))
AR(const char*, archive_entry_hardlink, (En * e), (e))
AR(const char*, archive_entry_hardlink_utf8, (En * e), (e))
AR(const char*, archive_entry_symlink, (En * e), (e))
AR(const char*, archive_entry_symlink_utf8, (En * e), (e))
AR(__LA_MODE_T, archive_entry_mode, (En * e), (e))
AR(__LA_MODE_T, archive_entry_filetype, (En * e), (e))
AR(__LA_MODE_T, archive_entry_perm, (En * e), (e))
AR(la_int64_t, archive_entry_size, (En * e), (e))
AR(int, archive_entry_size_is_set, (En * e), (e))
AR(la_int64_t, archive_entry_uid, (En * e), (e))
AR(la_int64_t, archive_entry_gid, (En * e), (e))
AR(dev_t, archive_entry_rdevmajor, (En * e), (e))
AR(dev_t, archive_entry_rdevminor, (En * e), (e))
AR(time_t, archive_entry_mtime, (En * e), (e))
AR(long, archive_entry_mtime_nsec, (En * e), (e))
AR(time_t, archive_entry_atime, (En * e), (e))
AR(long, archive_entry_atime_nsec, (En * e), (e))
AR(int, archive_entry_atime_is_set, (En * e), (e))
AR(void, archive_entry_set_size, (En * e, la_int64_t s), (e, s))
AR(void, archive_entry_set_filetype, (En * e, unsigned int t), (e, t))
AR(void, archive_entry_set_perm, (En * e, __LA_MODE_T m), (e, m))
AR(void, archive_entry_set_pathname, (En * e, const char* p), (e, p))
AR(void, archive_entry_copy_pathname, (En * e, const char* p), (e, p))
AR(void, archive_entry_set_hardlink, (En * e, const char* p), (e, p))
AR(void, archive_entry_copy_hardlink, (En * e, const char* p), (e, p))
AR(void, archive_entry_copy_symlink, (En * e, const char* p), (e, p))
AR(void, archive_entry_set_mtime, (En * e, time_t t, long ns), (e, t, ns))
AR(void, archive_entry_set_uid, (En * e, la_int64_t u), (e, u))
AR(void, archive_entry_set_gid, (En * e, la_int64_t g), (e, g))
AR(void, archive_entry_set_rdevmajor, (En * e, dev_t d), (e, d))
AR(void, archive_entry_set_rdevminor, (En * e, dev_t d), (e, d))
AR(void, archive_entry_set_rdev, (En * e, dev_t d), (e, d))
AR(int, archive_entry_xattr_reset, (En * e), (e))
AR(int, archive_entry_xattr_next, (En * e, const char** name, const void** value, size_t* size),
   (e, name, value, size))
AR(void, archive_entry_xattr_add_entry, (En * e, const char* name, const void* value, size_t size),
   (e, name, value, size))
