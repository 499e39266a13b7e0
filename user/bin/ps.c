/*
 * ps - list processes, from the kernel's /proc/tasks.
 *
 * /proc/tasks has a header line, then one line per task:
 * "PID PPID STATE NAME". ps lines the columns up.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TASKS "/proc/tasks"

/* The whole of @path, NUL-terminated, in a malloc'd buffer; NULL on error. */
static char *slurp(const char *path)
{
	size_t len = 0, cap = 1024;
	char *buf = malloc(cap), *grown;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0 || !buf)
		goto fail;
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += n;
		if (cap - len - 1 == 0) {
			grown = realloc(buf, cap *= 2);
			if (!grown)
				goto fail;
			buf = grown;
		}
	}
	if (n < 0)
		goto fail;
	close(fd);
	buf[len] = '\0';
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

/* Split @line in place into @max fields; the last takes the rest. */
static int split(char *line, char **field, int max)
{
	int n = 0;

	while (n < max) {
		line += strspn(line, " \t");
		if (!*line)
			break;
		field[n++] = line;
		if (n == max)
			break;
		line += strcspn(line, " \t");
		if (*line)
			*line++ = '\0';
	}
	return n;
}

int main(void)
{
	char *text, *line, *next, *f[4];

	text = slurp(TASKS);
	if (!text) {
		perror(TASKS);
		return 1;
	}
	for (line = text; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		if (split(line, f, 4) == 4)
			printf("%5s %5s %-8s %s\n", f[0], f[1], f[2], f[3]);
		else if (*line)
			printf("%s\n", line);
	}
	free(text);
	return 0;
}
