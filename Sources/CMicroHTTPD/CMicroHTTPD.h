// The one C header of Nabla: libmicrohttpd plus fixed-arity shims for what Swift cannot call.
//
// Swift cannot call C variadic functions, so MHD_start_daemon, MHD_get_daemon_info and
// MHD_get_connection_info are wrapped here as `static inline` functions with fixed parameters.
// Every function-pointer cast stays in C: the daemon options travel as an MHD_OPTION_ARRAY.
// Checked against libmicrohttpd 0.9.75 (Debian 12, libmicrohttpd-dev 0.9.75-6).
#ifndef CMICROHTTPD_H
#define CMICROHTTPD_H

#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <microhttpd.h>

// Macros built from casts are not imported into Swift; these restate them as constants.
static const uint64_t CMicroHTTPD_SIZE_UNKNOWN = MHD_SIZE_UNKNOWN;
static const ssize_t CMicroHTTPD_CONTENT_READER_END_OF_STREAM = MHD_CONTENT_READER_END_OF_STREAM;
static const ssize_t CMicroHTTPD_CONTENT_READER_END_WITH_ERROR = MHD_CONTENT_READER_END_WITH_ERROR;

/// Everything CMicroHTTPD_start needs, as plain fields (set by MicroHTTP's HTTPServerConfiguration).
typedef struct CMicroHTTPD_Settings {
    unsigned int flags;                      // MHD_FLAG values, combined
    const char *host;                        // numeric IPv4 or IPv6 address to bind
    uint16_t port;                           // 0 = ephemeral
    unsigned int thread_pool_size;
    unsigned int connection_limit;
    unsigned int per_ip_connection_limit;
    unsigned int connection_timeout_seconds;
    size_t connection_memory_limit;
    int strict_for_client;                   // MHD_OPTION_STRICT_FOR_CLIENT (1 = strict)
    MHD_NotifyConnectionCallback notify_connection;  // MHD_OPTION_NOTIFY_CONNECTION: opened/closed
    void *notify_connection_cls;
} CMicroHTTPD_Settings;

/// Why CMicroHTTPD_start returned NULL.
typedef enum CMicroHTTPD_StartError {
    CMicroHTTPD_START_OK = 0,
    CMicroHTTPD_START_BAD_HOST = 1,          // host is not a numeric IPv4/IPv6 address
    CMicroHTTPD_START_FAILED = 2             // MHD_start_daemon failed (port in use, limits...)
} CMicroHTTPD_StartError;

/// Decodes %HH escapes in the path and query like libmicrohttpd's default, except that a value holding
/// %00 is left as it is: decoded, the NUL would cut the C string short (`/healthz%00x` read as
/// `/healthz`); kept, it is an unknown path or a bad value.
static inline size_t CMicroHTTPD_unescape(void *cls, struct MHD_Connection *connection, char *value) {
    (void)cls;
    (void)connection;
    if (strstr(value, "%00") != NULL) return strlen(value);
    return MHD_http_unescape(value);
}

/// Fixed-arity MHD_start_daemon: binds `settings->host` with MHD_OPTION_SOCK_ADDR (MHD binds every
/// interface otherwise) and passes every option through one MHD_OPTION_ARRAY.
static inline struct MHD_Daemon *CMicroHTTPD_start(const CMicroHTTPD_Settings *settings,
                                                   MHD_AccessHandlerCallback handler, void *handler_cls,
                                                   MHD_RequestCompletedCallback completed, void *completed_cls,
                                                   CMicroHTTPD_StartError *error) {
    struct sockaddr_in v4;
    struct sockaddr_in6 v6;
    const struct sockaddr *address;
    unsigned int flags = settings->flags;
    memset(&v4, 0, sizeof v4);
    memset(&v6, 0, sizeof v6);
    if (inet_pton(AF_INET, settings->host, &v4.sin_addr) == 1) {
        v4.sin_family = AF_INET;
        v4.sin_port = htons(settings->port);
        address = (const struct sockaddr *)&v4;
    } else if (inet_pton(AF_INET6, settings->host, &v6.sin6_addr) == 1) {
        v6.sin6_family = AF_INET6;
        v6.sin6_port = htons(settings->port);
        address = (const struct sockaddr *)&v6;
        flags |= MHD_USE_IPv6;
    } else {
        *error = CMicroHTTPD_START_BAD_HOST;
        return NULL;
    }
    struct MHD_OptionItem options[] = {
        {MHD_OPTION_SOCK_ADDR, 0, (void *)address},
        {MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)settings->thread_pool_size, NULL},
        {MHD_OPTION_CONNECTION_LIMIT, (intptr_t)settings->connection_limit, NULL},
        {MHD_OPTION_PER_IP_CONNECTION_LIMIT, (intptr_t)settings->per_ip_connection_limit, NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)settings->connection_timeout_seconds, NULL},
        {MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)settings->connection_memory_limit, NULL},
        {MHD_OPTION_STRICT_FOR_CLIENT, (intptr_t)settings->strict_for_client, NULL},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)completed, completed_cls},
        {MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t)CMicroHTTPD_unescape, NULL},
        {MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)settings->notify_connection, settings->notify_connection_cls},
        {MHD_OPTION_END, 0, NULL},
    };
    struct MHD_Daemon *daemon = MHD_start_daemon(flags, settings->port, NULL, NULL, handler, handler_cls,
                                                 MHD_OPTION_ARRAY, options, MHD_OPTION_END);
    *error = daemon ? CMicroHTTPD_START_OK : CMicroHTTPD_START_FAILED;
    return daemon;
}

/// Fixed-arity MHD_get_daemon_info(MHD_DAEMON_INFO_BIND_PORT): the port actually bound (for port 0).
static inline uint16_t CMicroHTTPD_bound_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

/// Fixed-arity MHD_get_connection_info(MHD_CONNECTION_INFO_CLIENT_ADDRESS), printed as text into
/// `buffer` (at least INET6_ADDRSTRLEN bytes). Returns 0 on success, -1 if the address is unknown.
static inline int CMicroHTTPD_client_address(struct MHD_Connection *connection, char *buffer, size_t length) {
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == NULL || info->client_addr == NULL) return -1;
    const struct sockaddr *address = info->client_addr;
    const void *raw = NULL;
    if (address->sa_family == AF_INET) raw = &((const struct sockaddr_in *)address)->sin_addr;
    else if (address->sa_family == AF_INET6) raw = &((const struct sockaddr_in6 *)address)->sin6_addr;
    if (raw == NULL || inet_ntop(address->sa_family, raw, buffer, (socklen_t)length) == NULL) return -1;
    return 0;
}

/// Fixed-arity MHD_get_connection_info(MHD_CONNECTION_INFO_CONNECTION_FD): the connection's socket,
/// or -1. libmicrohttpd closes it only after its MHD_CONNECTION_NOTIFY_CLOSED notification returns.
static inline int CMicroHTTPD_connection_fd(struct MHD_Connection *connection) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    return info ? info->connect_fd : -1;
}

#endif
