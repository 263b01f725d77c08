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
#include <termios.h>
#include <poll.h>
#include <errno.h>
#include <stdlib.h>
#include <locale.h>
#include <langinfo.h>
#include <strings.h>
#include <wchar.h>

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
    // A parent may have started us with these blocked (the mask survives exec), and then Ctrl-C
    // would never cancel a query.
    sigset_t wanted;
    sigemptyset(&wanted);
    sigaddset(&wanted, SIGINT);
    sigaddset(&wanted, SIGWINCH);
    sigprocmask(SIG_UNBLOCK, &wanted, NULL);
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

// MARK: - The line editor's input
//
// libedit is robust only while it owns the whole read: a SIGINT that interrupts its read() leaves
// it half-way (the terminal cooked, its buffers stale), which is how Ctrl-C used to break editing
// for good. So while a line is edited the terminal sends no signals (ISIG off, libedit's "setty -d
// -isig"): Ctrl-C arrives as a key, bound to tally-interrupt, which marks the line and has the
// reader below hand libedit a line end, so libedit finishes the line the ordinary way. Outside
// el_gets (a query running) the terminal is cooked again and Ctrl-C is SIGINT, which cancels.

/// Makes the character type follow the environment (LC_ALL, LC_CTYPE, LANG): libedit decodes and
/// draws multibyte characters by it, and under the "C" locale it drops every byte above 127.
/// Returns 1 when the environment's locale is UTF-8, 0 when it is not and C.UTF-8 was put in its
/// place, -1 when no UTF-8 locale could be had. Must run before el_init, which reads the codeset.
static inline int tally_use_utf8_ctype(void) {
    setlocale(LC_CTYPE, "");
    const char *codeset = nl_langinfo(CODESET);
    if (codeset && (strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "utf8") == 0)) return 1;
    if (setlocale(LC_CTYPE, "C.UTF-8") || setlocale(LC_CTYPE, "C.utf8") || setlocale(LC_CTYPE, "en_US.UTF-8")) return 0;
    setlocale(LC_CTYPE, "");
    return -1;
}

/// 1 after Ctrl-C while editing (the reader still owes libedit a line end), 2 once it was handed.
static volatile sig_atomic_t tally_edit_interrupted = 0;

/// A byte read past the end of a malformed sequence, read again as the start of the next character.
static int tally_edit_pending_byte = -1;

static inline void tally_edit_reset(void) { tally_edit_interrupted = 0; }
static inline int tally_edit_was_interrupted(void) { return tally_edit_interrupted != 0; }

/// The next byte of the terminal for the line editor: 0–255, or -1 at end of input, -2 on an
/// error. A window resize (SIGWINCH interrupts poll, which is never restarted) redraws the line at
/// the new width; a SIGINT from outside (kill -INT) ends the line as Ctrl-C does.
static inline int tally_edit_read_byte(EditLine *el) {
    if (tally_edit_pending_byte >= 0) {
        int byte = tally_edit_pending_byte;
        tally_edit_pending_byte = -1;
        return byte;
    }
    for (;;) {
        if (tally_interrupted && !tally_edit_interrupted) return -3;
        struct pollfd p;
        p.fd = STDIN_FILENO;
        p.events = POLLIN;
        p.revents = 0;
        int ready = poll(&p, 1, -1);
        if (ready < 0) {
            if (errno != EINTR) return -2;
            if (tally_resized) {
                tally_resized = 0;
                el_resize(el);
                el_set(el, EL_REFRESH);
            }
            continue;
        }
        unsigned char byte;
        ssize_t n = read(STDIN_FILENO, &byte, 1);
        if (n == 1) return byte;
        if (n == 0) return -1;
        if (errno == EINTR || errno == EAGAIN) continue;
        return -2;
    }
}

// Ctrl-R: tally's own incremental history search. (libedit's em-inc-search-prev mixes up
// multibyte characters: a second Chinese character typed into the pattern lands in the line.)
// While a search is active every key goes to tally_search_hook instead of libedit's key map; the
// hook returns 0 when the line must be drawn again (the reader then hands libedit the redraw
// key, ^_, bound to tally-redisplay), or 1 to give libedit the key itself. A key the hook wants
// libedit to see after the redraw (Enter, an arrow's ESC) waits in tally_edit_pending_key.
typedef int (*tally_search_fn)(EditLine *, int);
static tally_search_fn tally_search_hook = NULL;
static volatile int tally_search_active = 0;
static int tally_edit_pending_key = -1;
static const wchar_t tally_redisplay_key = 0x1F;

static inline void tally_set_search_hook(tally_search_fn hook) { tally_search_hook = hook; }
static inline void tally_set_search_active(int on) { tally_search_active = on; }
static inline void tally_set_pending_key(int key) { tally_edit_pending_key = key; }

static inline unsigned char tally_edit_redisplay(EditLine *el, int ch) {
    (void)el; (void)ch;
    return CC_REDISPLAY;
}

/// libedit's character reader, replaced (EL_GETCFN): input is decoded as UTF-8 whatever the
/// locale's codeset; a malformed sequence becomes U+FFFD. Returns 1 with a character, 0 at end of
/// input, -1 on an error, as libedit expects.
static inline int tally_edit_read_utf8(EditLine *el, wchar_t *out);

static inline int tally_edit_read_char(EditLine *el, wchar_t *out) {
    if (tally_edit_interrupted == 1) {
        tally_edit_interrupted = 2;
        *out = L'\n';
        return 1;
    }
    if (tally_edit_pending_key >= 0) {
        *out = (wchar_t)tally_edit_pending_key;
        tally_edit_pending_key = -1;
        return 1;
    }
    int got = tally_edit_read_utf8(el, out);
    if (got == 1 && tally_search_active && tally_search_hook && !tally_edit_interrupted) {
        if (tally_search_hook(el, (int)*out) == 0) *out = tally_redisplay_key;
    }
    return got;
}

/// One UTF-8 character from the terminal (see tally_edit_read_char).
static inline int tally_edit_read_utf8(EditLine *el, wchar_t *out) {
    unsigned int code = 0;
    int needed = 0;
    for (;;) {
        int byte = tally_edit_read_byte(el);
        if (byte == -3) {                     // SIGINT while editing: as Ctrl-C
            tally_edit_interrupted = 2;
            *out = L'\n';
            return 1;
        }
        if (byte < 0) {
            *out = 0;
            if (needed > 0 && byte == -1) { *out = 0xFFFD; return 1; }
            return byte == -1 ? 0 : -1;
        }
        if (needed > 0) {
            if ((byte & 0xC0) == 0x80) {
                code = (code << 6) | (unsigned int)(byte & 0x3F);
                if (--needed == 0) {
                    *out = (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) ? 0xFFFD : (wchar_t)code;
                    return 1;
                }
                continue;
            }
            // A sequence cut short: the bytes so far are one bad character, and this byte starts
            // the next one.
            *out = 0xFFFD;
            tally_edit_pending_byte = byte;
            return 1;
        }
        if (byte < 0x80) { *out = (wchar_t)byte; return 1; }
        if ((byte & 0xE0) == 0xC0) { code = (unsigned int)(byte & 0x1F); needed = 1; }
        else if ((byte & 0xF0) == 0xE0) { code = (unsigned int)(byte & 0x0F); needed = 2; }
        else if ((byte & 0xF8) == 0xF0) { code = (unsigned int)(byte & 0x07); needed = 3; }
        else { *out = 0xFFFD; return 1; }
    }
}

/// Ctrl-C while editing: the cursor to the end, `^C` shown after the text, and a line end owed
/// (see tally_edit_read_char), so the statement is dropped and libedit starts the next line clean.
static inline unsigned char tally_edit_interrupt(EditLine *el, int ch) {
    (void)ch;
    const LineInfoW *line = el_wline(el);
    if (line) el_cursor(el, (int)(line->lastchar - line->cursor));
    el_insertstr(el, "^C");
    tally_edit_interrupted = 1;
    return CC_REFRESH;
}

/// Ctrl-Z while editing (the terminal sends no SIGTSTP then): the terminal cooked, the process
/// group stopped as the shell's job control expects, and the line drawn again on `fg`.
static inline unsigned char tally_edit_suspend(EditLine *el, int ch) {
    (void)ch;
    el_set(el, EL_PREP_TERM, 0);
    kill(0, SIGTSTP);
    el_set(el, EL_PREP_TERM, 1);
    return CC_REDISPLAY;
}

/// The reader, the terminal modes and the Ctrl-C / Ctrl-Z keys described above.
static inline void tally_edit_install(EditLine *el) {
    el_set(el, EL_GETCFN, tally_edit_read_char);
    el_set(el, EL_SETTY, "-d", "-isig", NULL);
    el_set(el, EL_ADDFN, "tally-interrupt", "Drop the statement being typed", tally_edit_interrupt);
    el_set(el, EL_BIND, "^C", "tally-interrupt", NULL);
    el_set(el, EL_ADDFN, "tally-suspend", "Suspend tally (fg resumes it)", tally_edit_suspend);
    el_set(el, EL_BIND, "^Z", "tally-suspend", NULL);
    el_set(el, EL_ADDFN, "tally-redisplay", "Draw the line again", tally_edit_redisplay);
    el_set(el, EL_BIND, "^_", "tally-redisplay", NULL);
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

// MARK: - Full screen (`tally present`)
//
// Raw keys on the alternate screen with the cursor hidden. Whatever way the process ends — a
// return, exit(), a fatal signal, SIGTERM or SIGHUP from a closed SSH session — the terminal gets its
// settings, its cursor and its main screen back: tally_screen_restore runs from the caller, from
// atexit and from the signal handlers (tcsetattr and write are async-signal-safe).

/// The settings to give back (a function-local static: Swift's importer emits it with the function).
static inline struct termios *tally_saved_termios(void) {
    static struct termios saved;
    return &saved;
}
static volatile sig_atomic_t tally_screen_active = 0;
static const char tally_screen_leave_codes[] = "\033[0m\033[H\033[2J\033[?25h\033[?1049l";
static const char tally_screen_enter_codes[] = "\033[?1049h\033[?25l\033[H\033[2J";

static inline void tally_write_all(const char *text, size_t length) {
    while (length > 0) {
        ssize_t n = write(STDOUT_FILENO, text, length);
        if (n < 0) { if (errno == EINTR) continue; return; }
        text += n;
        length -= (size_t)n;
    }
}

static inline void tally_screen_restore(void) {
    if (!tally_screen_active) return;
    tally_screen_active = 0;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, tally_saved_termios());
    tally_write_all(tally_screen_leave_codes, sizeof tally_screen_leave_codes - 1);
}

static inline void tally_screen_on_fatal_signal(int sig) {
    tally_screen_restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

/// Saves the terminal's settings, switches to raw keys (no echo, no line buffering, Ctrl-C and
/// Ctrl-Z arrive as keys), the alternate screen and a hidden cursor. Returns 0, or -1 when stdin is
/// not a terminal. SIGWINCH sets tally_resized and interrupts a waiting tally_read_byte.
static inline int tally_screen_enter(void) {
    static int exit_hook = 0;
    if (tcgetattr(STDIN_FILENO, tally_saved_termios()) != 0) return -1;
    struct termios raw = *tally_saved_termios();
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
    raw.c_iflag &= ~(tcflag_t)(IXON | ICRNL | INLCR | ISTRIP | BRKINT);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) != 0) return -1;
    tally_screen_active = 1;
    if (!exit_hook) { atexit(tally_screen_restore); exit_hook = 1; }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = tally_screen_on_fatal_signal;
    sa.sa_flags = SA_RESETHAND;
    int fatal[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE };
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++) sigaction(fatal[i], &sa, NULL);
    sa.sa_handler = tally_on_sigwinch;
    sa.sa_flags = 0;
    sigaction(SIGWINCH, &sa, NULL);
    // A parent may have started us with these blocked (a blocked SIGWINCH would never redraw).
    sigset_t wanted;
    sigemptyset(&wanted);
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++) sigaddset(&wanted, fatal[i]);
    sigaddset(&wanted, SIGWINCH);
    sigprocmask(SIG_UNBLOCK, &wanted, NULL);
    tally_write_all(tally_screen_enter_codes, sizeof tally_screen_enter_codes - 1);
    return 0;
}

/// Writes a whole frame at once (so a redraw does not flicker).
static inline void tally_screen_write(const char *text) { tally_write_all(text, strlen(text)); }

/// The next byte of input: 0–255, -1 when nothing came within timeout_ms (or a signal arrived),
/// -2 at end of input or on an error.
static inline int tally_read_byte(int timeout_ms) {
    struct pollfd p;
    p.fd = STDIN_FILENO;
    p.events = POLLIN;
    p.revents = 0;
    int ready = poll(&p, 1, timeout_ms);
    if (ready < 0) return errno == EINTR ? -1 : -2;
    if (ready == 0) return -1;
    unsigned char byte;
    ssize_t n = read(STDIN_FILENO, &byte, 1);
    if (n == 1) return byte;
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return -1;
    return -2;
}

// MARK: - A password typed without echo

/// The terminal's settings before the password prompt turned echo off (a function-local static,
/// as above), and its descriptor while the prompt waits.
static inline struct termios *tally_password_termios(void) {
    static struct termios saved;
    return &saved;
}
static volatile sig_atomic_t tally_password_fd = -1;
static volatile sig_atomic_t tally_password_interrupted = 0;

static inline void tally_password_on_sigint(int sig) { (void)sig; tally_password_interrupted = 1; }

static inline void tally_password_write(const char *text) {
    size_t length = strlen(text);
    while (length > 0) {
        ssize_t n = write(STDERR_FILENO, text, length);
        if (n < 0) { if (errno == EINTR) continue; return; }
        text += n;
        length -= (size_t)n;
    }
}

/// SIGTERM, SIGHUP or SIGQUIT while the prompt waits: echo back on, then die of the signal.
static inline void tally_password_on_fatal_signal(int sig) {
    if (tally_password_fd >= 0) tcsetattr(tally_password_fd, TCSANOW, tally_password_termios());
    signal(sig, SIG_DFL);
    raise(sig);
}

/// Reads one line from the terminal `fd` with echo off, after writing `prompt` to stderr, as psql
/// reads a password: the line discipline still edits the line (Backspace, Ctrl-U) and still sends
/// signals.
/// Returns the length of the line (without its newline, NUL-terminated in `buffer`), -1 at end of
/// input (Ctrl-D on an empty line), -2 after Ctrl-C, -3 when `fd` is not a terminal or reading
/// fails. The terminal's settings and the signal handlers are put back on every path; a SIGTERM,
/// SIGHUP or SIGQUIT meanwhile restores the terminal before it ends the process, and Ctrl-Z waits.
static inline int tally_read_password(int fd, const char *prompt, char *buffer, int capacity) {
    if (capacity < 2 || !isatty(fd) || tcgetattr(fd, tally_password_termios()) != 0) return -3;
    struct sigaction on_int, on_fatal, ignore, old_int, old_term, old_hup, old_quit, old_tstp;
    memset(&on_int, 0, sizeof on_int);
    on_int.sa_handler = tally_password_on_sigint;
    sigemptyset(&on_int.sa_mask);
    memset(&on_fatal, 0, sizeof on_fatal);
    on_fatal.sa_handler = tally_password_on_fatal_signal;
    sigemptyset(&on_fatal.sa_mask);
    memset(&ignore, 0, sizeof ignore);
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    tally_password_interrupted = 0;
    tally_password_fd = fd;
    sigaction(SIGINT, &on_int, &old_int);
    sigaction(SIGTERM, &on_fatal, &old_term);
    sigaction(SIGHUP, &on_fatal, &old_hup);
    sigaction(SIGQUIT, &on_fatal, &old_quit);
    sigaction(SIGTSTP, &ignore, &old_tstp);
    sigset_t wanted, old_mask;
    sigemptyset(&wanted);
    sigaddset(&wanted, SIGINT);
    sigprocmask(SIG_UNBLOCK, &wanted, &old_mask);

    struct termios quiet = *tally_password_termios();
    quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
    quiet.c_lflag |= ICANON | ISIG;
    int result = -3;
    int length = 0;
    // Echo goes off before the prompt shows, so nothing typed after it is ever echoed.
    if (tcsetattr(fd, TCSAFLUSH, &quiet) == 0) {
        tally_password_write(prompt);
        for (;;) {
            if (tally_password_interrupted) { result = -2; break; }
            struct pollfd p;
            p.fd = fd;
            p.events = POLLIN;
            p.revents = 0;
            int ready = poll(&p, 1, 100);
            if (ready < 0) {
                if (errno == EINTR) continue;
                break;
            }
            if (ready == 0) continue;
            ssize_t n = read(fd, buffer + length, (size_t)(capacity - 1 - length));
            if (n < 0) {
                if (errno == EINTR || errno == EAGAIN) continue;
                break;
            }
            if (n == 0) { result = length > 0 ? length : -1; break; }
            length += (int)n;
            if (buffer[length - 1] == '\n') { length -= 1; result = length; break; }
            if (length >= capacity - 1) { result = length; break; }
        }
        tcsetattr(fd, TCSAFLUSH, tally_password_termios());
        tally_password_write("\n");
    }
    buffer[length > 0 ? length : 0] = 0;
    if (result < 0) { memset(buffer, 0, (size_t)capacity); }
    tally_password_fd = -1;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    sigaction(SIGTSTP, &old_tstp, NULL);
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    return result;
}

#endif
