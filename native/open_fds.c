/*
 * The listing of this process's open fds that a freshly cloned process, which may not read /proc
 * or allocate, is given where the kernel lacks close_range (before 5.9): spawn.c's children and
 * memory_holder.c's holder close what is on it. Plain C, no natives of its own.
 */
#include <dirent.h>
#include <stdlib.h>
#include "common.h"

/*
 * The fds of this process at or above `lowest`, read from /proc/self/fd: what a child closes one
 * by one where close_range is missing. NULL when /proc cannot be read (the child then walks every
 * number up to the limit) or on OOM. An fd another thread opens after this listing is not on it;
 * it is close-on-exec, as every fd of ours and of the JDK is, so execve closes it.
 */
int *mp4j_list_open_fds(int lowest, int *count_out) {
    DIR *directory = opendir("/proc/self/fd");
    if (directory == NULL) {
        return NULL;
    }
    int own = dirfd(directory);
    int capacity = 64, count = 0;
    int *fds = malloc(sizeof(int) * (size_t) capacity);
    struct dirent *entry;
    while (fds != NULL && (entry = readdir(directory)) != NULL) {
        char *end;
        long fd = strtol(entry->d_name, &end, 10);
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9' || *end != '\0' || fd < lowest || fd == own) {
            continue;
        }
        if (count == capacity) {
            capacity *= 2;
            int *grown = realloc(fds, sizeof(int) * (size_t) capacity);
            if (grown == NULL) {
                free(fds);
                fds = NULL;
                break;
            }
            fds = grown;
        }
        fds[count++] = (int) fd;
    }
    closedir(directory);
    *count_out = count;
    return fds;
}
