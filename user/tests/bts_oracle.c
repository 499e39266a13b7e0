/*
 * bts_oracle - Spoor's half of the oracle layer (tests/harness/
 * oracle.py): for each job of the boot parameter
 *
 *     bts_oracle=PROG[:ARG...][,PROG[:ARG...]...]
 *
 * run "btrace -r PROG ARGS" (fast mode) and "btrace -r -x PROG ARGS"
 * (exact mode), each with an empty environment, as QEMU's user-mode
 * emulator runs the same program on the host, and frame their output:
 *
 *     bts-oracle: begin PROG MODE
 *     bts FROM TO          (btrace's raw records, the program's output)
 *     bts-oracle: end PROG MODE status=N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ARGS 8

/* Run btrace -r [-x] /bin/@words[0] @words[1..]; its wait status. */
static int run_traced(char **words, int exact)
{
	char *argv[MAX_ARGS + 5], *envp[] = { NULL };
	char path[128];
	int argc = 0, i, status;
	pid_t pid;

	snprintf(path, sizeof(path), "/bin/%s", words[0]);
	argv[argc++] = "/bin/btrace";
	argv[argc++] = "-r";
	if (exact)
		argv[argc++] = "-x";
	argv[argc++] = path;
	for (i = 1; words[i]; i++)
		argv[argc++] = words[i];
	argv[argc] = NULL;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execve(argv[0], argv, envp);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

int main(void)
{
	static const char *const modes[] = { "fast", "exact" };
	char *jobs = getenv("bts_oracle"), *job, *next;
	char *words[MAX_ARGS + 1];
	int n, m, status, bad = 0;

	if (!jobs) {
		fprintf(stderr, "bts_oracle: no bts_oracle= parameter\n");
		return 2;
	}
	jobs = strdup(jobs);
	for (job = jobs; job && *job; job = next) {
		next = strchr(job, ',');
		if (next)
			*next++ = '\0';
		for (n = 0; job && n < MAX_ARGS; n++) {
			words[n] = job;
			job = strchr(job, ':');
			if (job)
				*job++ = '\0';
		}
		words[n] = NULL;
		for (m = 0; m < 2; m++) {
			printf("bts-oracle: begin %s %s\n", words[0], modes[m]);
			status = run_traced(words, m);
			printf("bts-oracle: end %s %s status=%d\n", words[0],
			       modes[m], status);
			bad |= status != 0;
		}
	}
	return bad;
}
