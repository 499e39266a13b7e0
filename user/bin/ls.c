/*
 * ls [DIR...] - list the entries of each directory (default /), sorted,
 * directories marked with a trailing '/'.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_dot_or_dotdot(const char *name)
{
	return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

/* Read @path's entries (without . and ..) into a sorted array. */
static char **read_names(const char *path, size_t *count)
{
	DIR *dir = opendir(path);
	struct dirent *de;
	char **names, **grown;
	size_t n = 0, cap = 32;

	if (!dir)
		return NULL;
	names = malloc(cap * sizeof(*names));
	if (!names) {
		closedir(dir);
		return NULL;
	}
	errno = 0;
	while ((de = readdir(dir))) {
		if (is_dot_or_dotdot(de->d_name))
			continue;
		if (n == cap) {
			cap *= 2;
			grown = realloc(names, cap * sizeof(*names));
			if (!grown)
				break;
			names = grown;
		}
		names[n] = malloc(strlen(de->d_name) + 2);
		if (!names[n])
			break;
		strcpy(names[n], de->d_name);
		if (de->d_type == DT_DIR)
			strcat(names[n], "/");
		n++;
	}
	if (errno)
		perror(path);
	closedir(dir);
	qsort(names, n, sizeof(*names), by_name);
	*count = n;
	return names;
}

static int list(const char *path, int heading)
{
	char **names;
	size_t i, n;

	names = read_names(path, &n);
	if (!names) {
		perror(path);
		return 1;
	}
	if (heading)
		printf("%s:\n", path);
	for (i = 0; i < n; i++) {
		puts(names[i]);
		free(names[i]);
	}
	free(names);
	return 0;
}

int main(int argc, char **argv)
{
	int i, status = 0;

	if (argc < 2)
		return list("/", 0);
	for (i = 1; i < argc; i++) {
		if (i > 1)
			putchar('\n');
		status |= list(argv[i], argc > 2);
	}
	return status;
}
