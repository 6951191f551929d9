// The one C header of Nabla: libmicrohttpd plus fixed-arity shims for what Swift cannot call.
//
// Swift cannot call C variadic functions, so MHD_start_daemon, MHD_get_daemon_info and
// MHD_get_connection_info are wrapped here as `static inline` functions with fixed parameters.
// Every function-pointer cast stays in C: the daemon options travel as an MHD_OPTION_ARRAY.
// Also, for `nabla healthcheck` against an HTTPS port, a small GnuTLS client (GnuTLS is libmicrohttpd's
// own TLS library; module.modulemap links it so the health probe needs no other TLS stack).
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
#include <gnutls/gnutls.h>

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
    MHD_AcceptPolicyCallback accept_policy;  // asked for every accepted connection (MHD_NO closes it)
    void *accept_policy_cls;
    const char *tls_certificate;             // PEM certificate chain, or NULL for plain HTTP
    const char *tls_key;                     // PEM private key (unencrypted), with tls_certificate
    const char *tls_priorities;              // GnuTLS priority string (protocol versions, ciphers)
} CMicroHTTPD_Settings;

/// Why CMicroHTTPD_start returned NULL.
typedef enum CMicroHTTPD_StartError {
    CMicroHTTPD_START_OK = 0,
    CMicroHTTPD_START_BAD_HOST = 1,          // host is not a numeric IPv4/IPv6 address
    CMicroHTTPD_START_FAILED = 2,            // MHD_start_daemon failed (port in use, limits...)
    CMicroHTTPD_START_NO_TLS = 3             // TLS asked for, but this libmicrohttpd was built without it
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
/// interface otherwise) and passes every option through one MHD_OPTION_ARRAY. With a certificate it
/// serves HTTPS through libmicrohttpd's GnuTLS (MHD_USE_TLS); the PEM texts are copied by GnuTLS at start.
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
        // Either the TLS options below or the end of the array.
        {MHD_OPTION_END, 0, NULL},
        {MHD_OPTION_END, 0, NULL},
        {MHD_OPTION_END, 0, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    if (settings->tls_certificate != NULL) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
            *error = CMicroHTTPD_START_NO_TLS;
            return NULL;
        }
        flags |= MHD_USE_TLS;
        size_t next = sizeof options / sizeof options[0] - 4;
        options[next++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)settings->tls_certificate};
        options[next++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)settings->tls_key};
        options[next++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)settings->tls_priorities};
    }
    struct MHD_Daemon *daemon = MHD_start_daemon(flags, settings->port, settings->accept_policy,
                                                 settings->accept_policy_cls, handler, handler_cls,
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

/// The client side of `nabla healthcheck` against an HTTPS port, with GnuTLS (libmicrohttpd's own TLS
/// library): sends `request` over a TLS session on the connected socket `fd` and reads the answer into
/// `answer` until `capacity` bytes or the end. The server's certificate is NOT verified: the probe talks
/// to its own service over loopback and sends nothing secret. A timeout comes from the socket's
/// SO_RCVTIMEO/SO_SNDTIMEO (GnuTLS then reports GNUTLS_E_AGAIN, taken as a failure). Returns the bytes
/// read, or a negative GnuTLS error code (gnutls_strerror). Checked against GnuTLS 3.7.9.
static inline ssize_t CMicroHTTPD_tls_exchange(int fd, const char *request, size_t length, char *answer,
                                               size_t capacity) {
    gnutls_certificate_credentials_t credentials;
    gnutls_session_t session;
    int status = gnutls_certificate_allocate_credentials(&credentials);
    if (status < 0) return status;
    status = gnutls_init(&session, GNUTLS_CLIENT);
    if (status < 0) {
        gnutls_certificate_free_credentials(credentials);
        return status;
    }
    ssize_t result = gnutls_priority_set_direct(session, "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2", NULL);
    if (result >= 0) result = gnutls_credentials_set(session, GNUTLS_CRD_CERTIFICATE, credentials);
    if (result >= 0) {
        gnutls_transport_set_int(session, fd);
        do {
            result = gnutls_handshake(session);
        } while (result == GNUTLS_E_INTERRUPTED);
    }
    size_t sent = 0;
    while (result >= 0 && sent < length) {
        ssize_t count = gnutls_record_send(session, request + sent, length - sent);
        if (count == GNUTLS_E_INTERRUPTED) continue;
        result = count < 0 ? count : 0;
        if (count > 0) sent += (size_t)count;
    }
    size_t received = 0;
    while (result >= 0 && received < capacity) {
        ssize_t count = gnutls_record_recv(session, answer + received, capacity - received);
        if (count == GNUTLS_E_INTERRUPTED) continue;
        if (count == 0) break;
        if (count < 0) {
            // A server that closes without close_notify after answering has still answered.
            if (received == 0 || count != GNUTLS_E_PREMATURE_TERMINATION) result = count;
            break;
        }
        received += (size_t)count;
    }
    if (result >= 0) {
        gnutls_bye(session, GNUTLS_SHUT_WR);
        result = (ssize_t)received;
    }
    gnutls_deinit(session);
    gnutls_certificate_free_credentials(credentials);
    return result;
}

#endif
