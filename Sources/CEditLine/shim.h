// A thin layer over libedit for Swift: the variadic el_set/el_get/history calls cannot be called
// from Swift directly, and the SIGINT/SIGWINCH flags must be plain C globals that a signal handler
// may touch. Everything here is static inline, so the system library target needs no C sources.
#ifndef TALLY_CEDITLINE_SHIM_H
#define TALLY_CEDITLINE_SHIM_H

#include <histedit.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

typedef char *(*tally_prompt_fn)(EditLine *);
typedef unsigned char (*tally_command_fn)(EditLine *, int);

static inline void tally_el_set_prompt(EditLine *el, tally_prompt_fn fn) { el_set(el, EL_PROMPT, fn); }
static inline void tally_el_set_editor(EditLine *el, const char *mode) { el_set(el, EL_EDITOR, mode); }
static inline void tally_el_set_signal(EditLine *el, int on) { el_set(el, EL_SIGNAL, on); }
static inline void tally_el_set_history(EditLine *el, History *h) { el_set(el, EL_HIST, history, h); }
static inline void tally_el_add_function(EditLine *el, const char *name, const char *help, tally_command_fn fn) {
    el_set(el, EL_ADDFN, name, help, fn);
}
static inline void tally_el_bind(EditLine *el, const char *key, const char *fn) {
    el_set(el, EL_BIND, key, fn, NULL);
}
static inline void tally_el_set_clientdata(EditLine *el, void *data) { el_set(el, EL_CLIENTDATA, data); }
static inline void *tally_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}

static inline History *tally_history_init(int size) {
    History *h = history_init();
    HistEvent ev;
    history(h, &ev, H_SETSIZE, size);
    history(h, &ev, H_SETUNIQUE, 1);
    return h;
}
static inline void tally_history_enter(History *h, const char *line) {
    HistEvent ev;
    history(h, &ev, H_ENTER, line);
}

/// Set by the SIGINT handler; read and cleared by the shell and by running queries.
static volatile sig_atomic_t tally_interrupted = 0;
static volatile sig_atomic_t tally_resized = 0;

static inline void tally_on_sigint(int sig) { (void)sig; tally_interrupted = 1; }
static inline void tally_on_sigwinch(int sig) { (void)sig; tally_resized = 1; }

/// Installs the handlers without SA_RESTART for SIGINT, so a blocking read returns EINTR.
static inline void tally_install_signal_handlers(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = tally_on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = tally_on_sigwinch;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGWINCH, &sa, NULL);
}

static inline int tally_take_interrupt(void) {
    int was = tally_interrupted;
    tally_interrupted = 0;
    return was;
}
static inline int tally_peek_interrupt(void) { return tally_interrupted; }
static inline int tally_take_resize(void) {
    int was = tally_resized;
    tally_resized = 0;
    return was;
}

/// Terminal width in cells, or 0 when stdout is not a terminal.
static inline int tally_terminal_columns(void) {
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 0;
}
static inline int tally_terminal_rows(void) {
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0) return ws.ws_row;
    return 0;
}

static inline FILE *tally_stdout(void) { return stdout; }
static inline FILE *tally_stderr(void) { return stderr; }
static inline FILE *tally_stdin(void) { return stdin; }

#endif
