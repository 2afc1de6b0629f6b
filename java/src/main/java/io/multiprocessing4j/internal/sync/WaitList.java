package io.multiprocessing4j.internal.sync;

/**
 * The waiters of one {@link WordSleeper}, oldest first: an intrusive doubly linked list, so adding
 * and removing cost O(1) whatever the number of waiters (ten thousand virtual threads may wait on
 * one word). Guarded by its sleeper.
 */
final class WaitList {
    WordSleeper.Waiter head;
    WordSleeper.Waiter tail;

    boolean isEmpty() {
        return head == null;
    }

    void add(WordSleeper.Waiter waiter) {
        waiter.previous = tail;
        waiter.next = null;
        if (tail == null) {
            head = waiter;
        } else {
            tail.next = waiter;
        }
        tail = waiter;
        waiter.linked = true;
    }

    void remove(WordSleeper.Waiter waiter) {
        if (!waiter.linked) {
            return;
        }
        if (waiter.previous == null) {
            head = waiter.next;
        } else {
            waiter.previous.next = waiter.next;
        }
        if (waiter.next == null) {
            tail = waiter.previous;
        } else {
            waiter.next.previous = waiter.previous;
        }
        waiter.previous = null;
        waiter.next = null;
        waiter.linked = false;
    }
}
