/*
 * Addresses inside direct ByteBuffers (mapped shared memory), checked: a word that lies outside
 * the buffer or is misaligned is refused rather than touched.
 */
#ifndef MP4J_DIRECT_BUFFER_H
#define MP4J_DIRECT_BUFFER_H

#include <stdint.h>
#include "mp4j.h"

/* The address of buffer[offset .. offset+size), or NULL when it is not inside the buffer or not
 * aligned to `alignment` bytes. */
static inline void *mp4j_buffer_word(JNIEnv *env, jobject buffer, jint offset, jint size, jint alignment) {
    char *base = (*env)->GetDirectBufferAddress(env, buffer);
    jlong capacity = (*env)->GetDirectBufferCapacity(env, buffer);
    if (base == NULL || offset < 0 || (jlong) offset + size > capacity) {
        return NULL;
    }
    char *word = base + offset;
    return ((uintptr_t) word % (uintptr_t) alignment) == 0 ? word : NULL;
}

#endif
