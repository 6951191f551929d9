/*
 * mhd_reference_server: the C baseline for scripts/bench.sh.
 *
 * A minimal libmicrohttpd (0.9.75) server started with the same daemon flags and options as Nabla
 * (see Sources/CMicroHTTPD/CMicroHTTPD.h), so the benchmark compares Nabla's Swift layers with
 * plain C on the same HTTP engine.
 *
 *   GET  /healthz   200 {"status":"ok"}                      (application/json)
 *   POST /v1/echo   200 with the request body, byte for byte (application/json); 413 over 1 MiB
 *   anything else   404
 *
 * Usage: mhd_reference_server PORT [THREADS]   (binds 127.0.0.1; PORT 0 picks a free port)
 * Runs until SIGTERM or SIGINT. Prints "listening on 127.0.0.1:PORT" on stderr once ready.
 *
 * Build: gcc -O2 -Wall -Wextra -o mhd_reference_server mhd_reference_server.c \
 *            $(pkg-config --cflags --libs libmicrohttpd)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#define ECHO_LIMIT (1024 * 1024) /* largest accepted request body, as Nabla's default */

static const char HEALTH_BODY[] = "{\"status\":\"ok\"}";
static const char NOT_FOUND_BODY[] = "{\"error\":\"not found\"}";
static const char TOO_LARGE_BODY[] = "{\"error\":\"request body over 1 MiB\"}";

/* *req_cls of every request other than POST /v1/echo once its headers are in (never freed). */
static char no_body_marker;

/* Per-request state of POST /v1/echo, kept in MHD's *req_cls between callbacks. */
struct echo_state {
    char *data;      /* accumulated body (malloc'd), or NULL while empty */
    size_t length;   /* bytes in data */
    size_t capacity; /* bytes allocated */
    int overflow;    /* the body went over ECHO_LIMIT: drain the rest, then answer 413 */
};

/* Queues a response with a body MHD does not own (static text) and a JSON content type. */
static enum MHD_Result send_static(struct MHD_Connection *connection, unsigned int status,
                                   const char *body, size_t length) {
    struct MHD_Response *response =
        MHD_create_response_from_buffer(length, (void *)body, MHD_RESPMEM_PERSISTENT);
    if (response == NULL) return MHD_NO;
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    enum MHD_Result result = MHD_queue_response(connection, status, response);
    MHD_destroy_response(response); /* MHD keeps its own reference until the response is sent */
    return result;
}

/* Appends one upload chunk; past ECHO_LIMIT it only marks the overflow (the rest is discarded). */
static void echo_append(struct echo_state *state, const char *chunk, size_t size) {
    if (state->overflow) return;
    if (size > ECHO_LIMIT - state->length) {
        state->overflow = 1;
        return;
    }
    if (state->length + size > state->capacity) {
        size_t capacity = state->capacity ? state->capacity : 1024;
        while (capacity < state->length + size) capacity *= 2;
        if (capacity > ECHO_LIMIT) capacity = ECHO_LIMIT;
        char *grown = realloc(state->data, capacity);
        if (grown == NULL) { /* out of memory: treat like an oversized body */
            state->overflow = 1;
            return;
        }
        state->data = grown;
        state->capacity = capacity;
    }
    memcpy(state->data + state->length, chunk, size);
    state->length += size;
}

/* POST /v1/echo, called several times per request: once with the headers, then once per upload
 * chunk, then once with *upload_data_size == 0 when the body is complete. */
static enum MHD_Result handle_echo(struct MHD_Connection *connection, const char *upload_data,
                                   size_t *upload_data_size, void **req_cls) {
    struct echo_state *state = *req_cls;
    if (state == NULL) { /* first call: headers only */
        const char *declared = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
                                                           MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (declared != NULL && strtoull(declared, NULL, 10) > ECHO_LIMIT) {
            /* Refuse before reading: MHD closes the connection instead of reading the body. */
            return send_static(connection, MHD_HTTP_CONTENT_TOO_LARGE, TOO_LARGE_BODY,
                               sizeof TOO_LARGE_BODY - 1);
        }
        state = calloc(1, sizeof *state);
        if (state == NULL) return MHD_NO;
        *req_cls = state; /* freed in request_completed, whatever happens next */
        return MHD_YES;
    }
    if (*upload_data_size > 0) { /* a chunk of the body */
        echo_append(state, upload_data, *upload_data_size);
        *upload_data_size = 0; /* consumed */
        return MHD_YES;
    }
    /* The body is complete. */
    if (state->overflow) {
        return send_static(connection, MHD_HTTP_CONTENT_TOO_LARGE, TOO_LARGE_BODY,
                           sizeof TOO_LARGE_BODY - 1);
    }
    struct MHD_Response *response;
    if (state->length == 0) {
        response = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    } else {
        /* Hand the buffer to MHD, which frees it with free() once the response is gone. */
        response = MHD_create_response_from_buffer(state->length, state->data, MHD_RESPMEM_MUST_FREE);
        if (response != NULL) state->data = NULL;
    }
    if (response == NULL) return MHD_NO;
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    enum MHD_Result result = MHD_queue_response(connection, MHD_HTTP_OK, response);
    MHD_destroy_response(response);
    return result;
}

/* MHD's access handler: routes on method and path. */
static enum MHD_Result handle_request(void *cls, struct MHD_Connection *connection, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_data_size,
                                      void **req_cls) {
    (void)cls;
    (void)version;
    if (strcmp(url, "/v1/echo") == 0 && strcmp(method, MHD_HTTP_METHOD_POST) == 0) {
        return handle_echo(connection, upload_data, upload_data_size, req_cls);
    }
    /* Every other route answers once the request is complete. libmicrohttpd 0.9.75 closes the
     * connection after a response queued on the first call (before the body was read), which would
     * defeat keep-alive; so the first call only marks the request, and any body is discarded. */
    if (*req_cls == NULL) {
        *req_cls = &no_body_marker;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (strcmp(url, "/healthz") == 0 && strcmp(method, MHD_HTTP_METHOD_GET) == 0) {
        return send_static(connection, MHD_HTTP_OK, HEALTH_BODY, sizeof HEALTH_BODY - 1);
    }
    return send_static(connection, MHD_HTTP_NOT_FOUND, NOT_FOUND_BODY, sizeof NOT_FOUND_BODY - 1);
}

/* Called by MHD when a request ends (answered, failed or aborted): frees the echo state. */
static void request_completed(void *cls, struct MHD_Connection *connection, void **req_cls,
                              enum MHD_RequestTerminationCode code) {
    (void)cls;
    (void)connection;
    (void)code;
    if (*req_cls == NULL || *req_cls == &no_body_marker) return;
    struct echo_state *state = *req_cls;
    free(state->data);
    free(state);
    *req_cls = NULL;
}

/* Parses a decimal number in [min, max]; returns -1 if it is not one. */
static long parse_number(const char *text, long min, long max) {
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < min || value > max) return -1;
    return value;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s PORT [THREADS]\n", argv[0]);
        return 2;
    }
    long port = parse_number(argv[1], 0, 65535);
    long threads = argc == 3 ? parse_number(argv[2], 1, 256) : 2;
    if (port < 0 || threads < 0) {
        fprintf(stderr, "%s: PORT must be 0...65535 and THREADS 1...256\n", argv[0]);
        return 2;
    }

    /* Block SIGTERM and SIGINT before MHD starts its threads (they inherit the mask), so that only
     * main's sigwait below receives them. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);

    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons((uint16_t)port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* 127.0.0.1; MHD binds every interface otherwise */

    /* The same flags and options as Nabla's HTTPServerConfiguration defaults. */
    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                         MHD_USE_ITC;
    struct MHD_Daemon *daemon = MHD_start_daemon(
        flags, (uint16_t)port, NULL, NULL, handle_request, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&address,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)1000,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)64,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
        MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
        MHD_OPTION_NOTIFY_COMPLETED, request_completed, NULL,
        MHD_OPTION_END);
    if (daemon == NULL) {
        fprintf(stderr, "%s: cannot start libmicrohttpd on 127.0.0.1:%ld\n", argv[0], port);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    fprintf(stderr, "listening on 127.0.0.1:%u with %ld threads\n",
            info != NULL ? (unsigned int)info->port : (unsigned int)port, threads);

    int received = 0;
    sigwait(&stop_signals, &received);
    fprintf(stderr, "signal %d: stopping\n", received);
    MHD_stop_daemon(daemon);
    return 0;
}
