/*
 * sh - the Spoor shell.
 *
 *   $ fib 10                  run /bin/fib (bare names are looked up in /bin)
 *   $ ps | cat                pipelines of two or more commands
 *   $ spin &                  run in the background
 *   $ echo 'a|b' "c\"d" e\&   quotes and backslashes, as in POSIX sh
 *   $ help, exit [N]          the builtins
 *
 * The console hands the shell raw bytes, so the shell edits the line
 * itself: it echoes what is typed, Backspace/DEL erase, ^U erases the
 * line, ^C abandons it, ^D on an empty line exits, Enter runs it.
 * "sh -c LINE" runs LINE and exits with its status.
 *
 * Job control, when interactive on the console: the shell leads a
 * process group of its own, and each job (one pipeline) gets another.
 * A foreground job's group owns the console while it runs, so ^C
 * (SIGINT to the foreground group) stops the job and not the shell;
 * then the shell takes the console back.  At the prompt ^C reaches the
 * shell itself, which abandons the line.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define LINE_MAX	256
#define WORDS_MAX	64
#define STAGES_MAX	16

/* Fenced: clang-format 14 would write (c)&0x1f, as if a cast. */
/* clang-format off */
#define CTRL(c)		((c) & 0x1f)
/* clang-format on */
#define DEL		0x7f
#define ESC		0x1b

static const char PIPE[] = "|";
static const char BACKGROUND[] = "&";

static int job_control;		/* jobs get groups and the console */
static pid_t shell_pgrp;	/* our own group, when job_control */
static volatile sig_atomic_t interrupted;	/* ^C at the prompt */

/* One command line: stages[i] is the argv of command i, NULL-ended. */
struct pipeline {
	char **stages[STAGES_MAX];
	int nstages;
	int background;
};

static void echo(const char *s, size_t len)
{
	write(1, s, len);
}

/* Skip the rest of an escape sequence (arrow keys etc.): ESC [ ... final. */
static void skip_escape(void)
{
	char c;

	if (read(0, &c, 1) != 1 || (c != '[' && c != 'O'))
		return;
	while (read(0, &c, 1) == 1 && !(c >= 0x40 && c <= 0x7e))
		;
}

/*
 * Read one line from fd 0 into @buf (NUL-terminated, without newline),
 * editing and echoing as described at the top. A line ends at CR or LF;
 * the LF of a CR LF pair is dropped. Returns the line length (0 also for
 * an abandoned line), or -1 at end of input.
 */
static int read_line(char *buf, int size)
{
	static int after_cr;
	int len = 0;
	ssize_t n;
	char c;

	for (;;) {
		n = read(0, &c, 1);
		if (n < 0 && errno == EINTR && interrupted)
			c = CTRL('C');	/* the console made ^C our SIGINT */
		else if (n < 0 && errno == EINTR)
			continue;
		else if (n != 1) {
			buf[len] = '\0';
			return len ? len : -1;
		}
		interrupted = 0;
		if (c == '\n' && after_cr) {
			after_cr = 0;
			continue;
		}
		after_cr = c == '\r';
		switch (c) {
		case '\r':
		case '\n':
			echo("\n", 1);
			buf[len] = '\0';
			return len;
		case '\b':
		case DEL:
			if (len > 0) {
				len--;
				echo("\b \b", 3);
			}
			break;
		case CTRL('U'):
			for (; len > 0; len--)
				echo("\b \b", 3);
			break;
		case CTRL('C'):
			echo("^C\n", 3);
			buf[0] = '\0';
			return 0;
		case CTRL('D'):
			if (len == 0) {
				echo("\n", 1);
				return -1;
			}
			break;
		case ESC:
			skip_escape();
			break;
		default:
			if ((unsigned char)c < ' ' && c != '\t')
				break;		/* other control characters */
			if (len < size - 1) {
				buf[len++] = c;
				echo(&c, 1);
			}
		}
	}
}

/* The operator word for @c ('|' or '&'), or NULL if @c is none. */
static char *operator_word(char c)
{
	if (c == '|')
		return (char *)PIPE;
	if (c == '&')
		return (char *)BACKGROUND;
	return NULL;
}

/*
 * Copy the word starting at @p to @dst, removing its quotes as a POSIX
 * shell does: '...' keeps every character literally; in "..." a
 * backslash escapes only $ ` " \; outside quotes a backslash escapes
 * any character.  A quoted or escaped blank, '|' or '&' is a plain
 * character of the word.  @dst may be @p itself: a quote removed only
 * shortens the copy, so it never overtakes the reading.  Returns the
 * end of the word in the source (a blank, an unquoted '|' or '&', or
 * the NUL) and sets *@dst_end to the end of the copy, not terminated;
 * returns NULL if a quote is never closed.
 */
static char *unquote_word(char *p, char *dst, char **dst_end)
{
	char quote = 0;

	for (; *p; p++) {
		if (!quote && (*p == ' ' || *p == '\t' || operator_word(*p)))
			break;
		if (*p == quote) {
			quote = 0;		/* closing quote */
			continue;
		}
		if (!quote && (*p == '\'' || *p == '"')) {
			quote = *p;		/* opening quote */
			continue;
		}
		if (*p == '\\' && quote != '\'' && p[1] &&
		    (!quote || strchr("$`\"\\", p[1])))
			p++;			/* escaped: take the next as is */
		*dst++ = *p;
	}
	*dst_end = dst;
	return quote ? NULL : p;
}

/*
 * Split @line in place into words (see unquote_word). '|' and '&' are
 * words of their own even when not surrounded by spaces; they are
 * returned as the PIPE and BACKGROUND strings, so a quoted "|" is not
 * one. Returns the number of words, or -1 with *@error set if there are
 * more than @max or a quote is not closed.
 */
static int split_words(char *line, char **words, int max, const char **error)
{
	char *p = line, *end, *word_end, c;
	int n = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return n;
		if (n == max)
			goto too_many;
		if (operator_word(*p)) {
			words[n++] = operator_word(*p++);
			continue;
		}
		words[n++] = p;
		end = unquote_word(p, p, &word_end);
		if (!end) {
			*error = "unterminated quoted string";
			return -1;
		}
		/* Terminating the copy may overwrite an operator: keep it. */
		c = *end;
		*word_end = '\0';
		if (!c)
			return n;
		if (operator_word(c)) {
			if (n == max)
				goto too_many;
			words[n++] = operator_word(c);
		}
		p = end + 1;
	}
too_many:
	*error = "too many words";
	return -1;
}

/*
 * Turn @words (@n of them, with room for one more) into @pl, replacing
 * each '|' with the NULL that ends a stage. Rules: no empty stage, '&'
 * only at the end. Returns 0, or -1 on a syntax error.
 */
static int parse_pipeline(char **words, int n, struct pipeline *pl)
{
	int i, start = 0;

	pl->nstages = 0;
	pl->background = 0;
	if (n > 0 && words[n - 1] == BACKGROUND) {
		pl->background = 1;
		n--;
	}
	words[n] = NULL;
	for (i = 0; i <= n; i++) {
		if (words[i] == BACKGROUND)
			return -1;
		if (i < n && words[i] != PIPE)
			continue;
		if (i == start || pl->nstages == STAGES_MAX)
			return -1;
		words[i] = NULL;
		pl->stages[pl->nstages++] = &words[start];
		start = i + 1;
	}
	return 0;
}

/* In a child: become stage @argv, reading @in and writing @out. */
static void exec_stage(char **argv, int in, int out)
{
	if (in != 0) {
		dup2(in, 0);
		close(in);
	}
	if (out != 1) {
		dup2(out, 1);
		close(out);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "sh: %s: %s\n", argv[0],
		errno == ENOENT ? "not found" : strerror(errno));
	_exit(127);
}

/* How a job ended, if worth saying; @pid > 0 names a background job. */
static void report(pid_t pid, int status)
{
	char who[16] = "";

	if (pid > 0)
		snprintf(who, sizeof(who), "%d ", pid);
	if (WIFSIGNALED(status))
		printf("[%skilled by signal %d]\n", who, WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		printf("[%sexit %d]\n", who, WEXITSTATUS(status));
	else if (pid > 0)
		printf("[%sdone]\n", who);
}

/* Report background jobs that have ended, without blocking. */
static void reap_background(void)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		report(pid, status);
}

/*
 * Wait for the @n processes of a foreground pipeline (pids[i] < 0: never
 * started); other children ending meanwhile are background jobs.
 * Returns the wait status of the last stage.
 */
static int wait_pipeline(pid_t *pids, int n)
{
	int i, left = 0, status, last = 0;
	pid_t got;

	for (i = 0; i < n; i++)
		left += pids[i] > 0;
	while (left > 0) {
		got = wait(&status);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < n && pids[i] != got; i++)
			;
		if (i == n) {
			report(got, status);
			continue;
		}
		if (i == n - 1)
			last = status;
		pids[i] = -1;
		left--;
	}
	return last;
}

/* Give the console (and so ^C) to process group @pgrp. */
static void set_foreground(pid_t pgrp)
{
	if (job_control && pgrp > 0)
		tcsetpgrp(0, pgrp);
}

/*
 * Put @pid in job group @pgrp (0: a new group, @pid's own).  Both the
 * shell and the child make this call, so the child is in its group
 * before either goes on, whichever runs first; the one that comes
 * second may fail harmlessly (EACCES once the child has exec'd).
 */
static void join_job(pid_t pid, pid_t pgrp)
{
	if (job_control)
		setpgid(pid, pgrp);
}

/*
 * Start every stage of @pl, each connected to the next by a pipe. The
 * shell closes its copies of the pipe ends as it goes, so a reader sees
 * end of file when its writer exits. Returns the wait status of the last
 * stage (0 for a background job).
 */
static int run_pipeline(struct pipeline *pl)
{
	pid_t pids[STAGES_MAX] = { 0 }, pgrp = 0;
	int i, in = 0, fds[2];

	for (i = 0; i < pl->nstages; i++) {
		fds[0] = -1;
		fds[1] = 1;
		if (i < pl->nstages - 1 && pipe(fds) < 0) {
			perror("sh: pipe");
			break;
		}
		pids[i] = fork();
		if (pids[i] == 0) {
			join_job(0, pgrp);
			if (fds[0] >= 0)
				close(fds[0]);
			exec_stage(pl->stages[i], in, fds[1]);
		}
		if (pids[i] < 0)
			perror("sh: fork");
		if (pids[i] > 0) {
			pgrp = pgrp ? pgrp : pids[i];
			join_job(pids[i], pgrp);
			/* Before the next stage: a ^C now reaches this one. */
			if (!pl->background)
				set_foreground(pgrp);
		}
		if (in != 0)
			close(in);
		if (fds[1] != 1)
			close(fds[1]);
		in = fds[0];
		if (pids[i] < 0)
			break;
	}
	if (in > 0)
		close(in);
	for (; i < pl->nstages; i++)
		pids[i] = -1;
	if (pl->background) {
		printf("[%d]\n", pids[pl->nstages - 1]);
		return 0;
	}
	i = wait_pipeline(pids, pl->nstages);
	set_foreground(shell_pgrp);
	return i;
}

struct description {
	const char *name;
	const char *what;
};

static const struct description descriptions[] = {
	{ "btrace", "branches a program took: btrace /bin/fib 10" },
	{ "cat", "copy files (or standard input) to the output" },
	{ "echo", "print the arguments" },
	{ "false", "exit with status 1" },
	{ "fib", "fib(N) by naive recursion: fib 10" },
	{ "hello", "print hello, world with one write" },
	{ "init", "process 1 (starts this shell)" },
	{ "kill", "send a signal: kill PID [SIGNAL]" },
	{ "ls", "list a directory: ls [DIR]" },
	{ "ps", "list processes" },
	{ "sh", "this shell; sh -c LINE runs LINE" },
	{ "sleep", "wait N seconds" },
	{ "spin", "loop forever (stop it with ^C or kill)" },
	{ "strace", "system calls a program makes: strace /bin/hello" },
	{ "true", "exit with status 0" },
};

static const char *describe(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(descriptions) / sizeof(*descriptions); i++)
		if (strcmp(descriptions[i].name, name) == 0)
			return descriptions[i].what;
	return NULL;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The builtins, then /bin: described programs first, the rest by name. */
static void help(void)
{
	char *names[128];
	struct dirent *de;
	DIR *dir;
	int i, n = 0, col;

	printf("builtins:\n  help             this list\n"
	       "  exit [N]         leave the shell\n"
	       "syntax: CMD [ARG...] [| CMD [ARG...]]... [&]\n"
	       "  quoting: 'literal' \"with \\\" and \\\\\" \\c\n"
	       "programs in /bin:\n");
	dir = opendir("/bin");
	while (dir && (de = readdir(dir)) && n < 128)
		if (de->d_name[0] != '.' && (names[n] = strdup(de->d_name)))
			n++;
	if (dir)
		closedir(dir);
	qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++)
		if (describe(names[i]))
			printf("  %-16s %s\n", names[i], describe(names[i]));
	for (i = 0, col = 0; i < n; i++) {
		if (describe(names[i]))
			continue;
		if (col == 0) {
			printf("other programs:\n ");
			col = 1;
		} else if (col + 1 + strlen(names[i]) > 72) {
			printf("\n ");
			col = 1;
		}
		col += printf(" %s", names[i]);
	}
	if (col)
		putchar('\n');
	for (i = 0; i < n; i++)
		free(names[i]);
	printf("tracing demos:\n  btrace /bin/fib 10\n  strace /bin/hello\n");
}

/*
 * Run one command line. Returns its status as a shell exit code
 * (128 + N for a death by signal N); *@quit is set by the exit builtin.
 */
static int run_line(char *line, int *quit)
{
	char *words[WORDS_MAX + 1];
	const char *error = "syntax error";
	struct pipeline pl;
	int n, status;

	n = split_words(line, words, WORDS_MAX, &error);
	if (n == 0)
		return 0;
	if (n < 0 || parse_pipeline(words, n, &pl) < 0) {
		fprintf(stderr, "sh: %s\n", error);
		return 2;
	}
	if (pl.nstages == 1 && !pl.background) {
		if (strcmp(words[0], "exit") == 0) {
			*quit = 1;
			return words[1] ? atoi(words[1]) : 0;
		}
		if (strcmp(words[0], "help") == 0) {
			help();
			return 0;
		}
	}
	status = run_pipeline(&pl);
	report(0, status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static void note_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

/*
 * Interactive on the console: lead a group of our own and own the
 * console with it.  Our SIGINT handler (no SA_RESTART) makes a read
 * at the prompt fail with EINTR; exec resets it in every job.
 */
static void start_job_control(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = note_interrupt;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	if (setpgid(0, 0) < 0 || tcsetpgrp(0, getpgrp()) < 0)
		return;
	shell_pgrp = getpgrp();
	job_control = 1;
}

int main(int argc, char **argv)
{
	char line[LINE_MAX];
	int quit = 0, status = 0;

	if (argc == 3 && strcmp(argv[1], "-c") == 0)
		return run_line(argv[2], &quit);
	start_job_control();
	while (!quit) {
		reap_background();
		fflush(stdout);
		echo("$ ", 2);
		if (read_line(line, sizeof(line)) < 0)
			break;
		status = run_line(line, &quit);
	}
	return status;
}
