/*
 * Ending the process on a signal while JavaScript cannot run: the CLI runs a guest
 * on its main thread when none of its devices needs that thread free, and a guest
 * in a loop (or asleep in yield) holds it, so Node's own signal handling, which
 * runs handlers from the event loop, would never see the signal. exitOnSignal()
 * installs a handler that writes the tender's message and _exit()s with its status,
 * both given by JavaScript beforehand (a handler may only make async-signal-safe
 * calls: write and _exit, nothing that formats or allocates).
 *
 * Wrapped and typed by host/node/signals.ts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <node_api.h>

#define MAX_MESSAGE 256

static struct {
    char message[MAX_MESSAGE];
    size_t length;
    int status;
} on_signal[NSIG];

static void handle(int signo)
{
    const char *p = on_signal[signo].message;
    size_t left = on_signal[signo].length;
    while (left > 0) {
        ssize_t n = write(STDERR_FILENO, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* stderr closed or broken: the status still says it */
        p += n;
        left -= (size_t)n;
    }
    _exit(on_signal[signo].status);
}

/* exitOnSignal(signo, message, status): from now on, signal signo writes message
 * to stderr and ends the process with status. */
static napi_value exit_on_signal(napi_env env, napi_callback_info info)
{
    size_t argc = 3;
    napi_value argv[3];
    napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
    int32_t signo, status;
    size_t length;
    if (argc < 3 || napi_get_value_int32(env, argv[0], &signo) != napi_ok || napi_get_value_int32(env, argv[2], &status) != napi_ok ||
        napi_get_value_string_utf8(env, argv[1], NULL, 0, &length) != napi_ok) {
        napi_throw_type_error(env, NULL, "exitOnSignal(signo: number, message: string, status: number)");
        return NULL;
    }
    if (signo <= 0 || signo >= NSIG || signo == SIGKILL || signo == SIGSTOP || length >= MAX_MESSAGE) {
        napi_throw_range_error(env, NULL, "exitOnSignal: no such catchable signal, or a message of 256 bytes or more");
        return NULL;
    }
    /* The handler must not see a half-written message: block the signal meanwhile. */
    sigset_t one, old;
    sigemptyset(&one);
    sigaddset(&one, signo);
    pthread_sigmask(SIG_BLOCK, &one, &old);
    napi_get_value_string_utf8(env, argv[1], on_signal[signo].message, MAX_MESSAGE, &length);
    on_signal[signo].length = length;
    on_signal[signo].status = status;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handle;
    sigfillset(&sa.sa_mask); /* one message, even when two signals come at once */
    int failed = sigaction(signo, &sa, NULL) < 0 ? errno : 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (failed) {
        napi_throw_error(env, strerrorname_np(failed), strerror(failed));
        return NULL;
    }
    return NULL;
}

NAPI_MODULE_INIT()
{
    napi_value fn;
    if (napi_create_function(env, "exitOnSignal", NAPI_AUTO_LENGTH, exit_on_signal, NULL, &fn) != napi_ok ||
        napi_set_named_property(env, exports, "exitOnSignal", fn) != napi_ok)
        return NULL;
    return exports;
}
