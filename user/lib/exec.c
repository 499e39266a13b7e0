/*
 * execv and execvp: execve with the current environment, and with a
 * search of PATH for names without a slash.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Used when the environment has no PATH. */
#define DEFAULT_PATH "/bin"

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

/*
 * Run @file: as given if it contains a '/', else the first PATH entry
 * (colon-separated; default /bin) where execve does not fail with ENOENT.
 * Returns -1 with errno set (ENOENT if found nowhere, E2BIG/ENAMETOOLONG
 * if a candidate path does not fit).
 */
int execvp(const char *file, char *const argv[])
{
	char path[256];
	const char *dir, *end;
	size_t dlen, flen = strlen(file);

	if (strchr(file, '/'))
		return execv(file, argv);
	dir = getenv("PATH");
	if (!dir)
		dir = DEFAULT_PATH;
	for (; *dir; dir = *end ? end + 1 : end) {
		end = strchr(dir, ':');
		if (!end)
			end = dir + strlen(dir);
		dlen = end - dir;
		if (dlen + 1 + flen + 1 > sizeof(path)) {
			errno = ENAMETOOLONG;
			continue;
		}
		memcpy(path, dir, dlen);
		path[dlen] = '/';
		memcpy(path + dlen + 1, file, flen + 1);
		execv(path, argv);
		if (errno != ENOENT)
			return -1;
	}
	errno = ENOENT;
	return -1;
}
