package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.errors.AuthenticationException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mutual authentication on a shared key, before a connection carries anything else: each side
 * sends the other a random challenge and checks that the answer is HMAC-SHA256 of it under the key.
 * CPython's scheme (challenge, digest, welcome or failure; first the listener challenges, then the
 * client), with its own messages: the digest covers a label naming the answering side, so an
 * answer can never be replayed in the other direction.
 *
 * <p>Every message is a byte frame of at most {@link #MAX_MESSAGE} bytes, read with nothing read
 * ahead, and (with a deadline) within a time limit: a peer that sends garbage, too much or nothing
 * fails the handshake with an {@link AuthenticationException} instead of blocking or flooding us.
 * A side that rejects the other's answer says so ({@code #FAILURE#}) before it throws, so both
 * sides report the failure.
 */
public final class Handshake {
    static final int NONCE_BYTES = 32;
    static final int MAX_MESSAGE = 256;
    private static final byte[] CHALLENGE = ascii("#MP4J-CHALLENGE#hmac-sha256#");
    private static final byte[] WELCOME = ascii("#WELCOME#");
    private static final byte[] FAILURE = ascii("#FAILURE#");
    private static final byte[] LISTENER_LABEL = ascii("multiprocessing4j listener");
    private static final byte[] CLIENT_LABEL = ascii("multiprocessing4j client");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Handshake() {
    }

    /** The listener's side: challenge the client, then answer its challenge. */
    public static void asListener(MessageChannel channel, byte[] authkey, Duration timeout) throws IOException {
        asListener(channel, authkey, deadline(timeout));
    }

    /**
     * The listener's side with a deadline ({@link System#nanoTime()}; {@link FrameReader#NO_DEADLINE}
     * for none).
     */
    public static void asListener(MessageChannel channel, byte[] authkey, long deadline) throws IOException {
        challenge(channel, authkey, CLIENT_LABEL, deadline);
        answer(channel, authkey, LISTENER_LABEL, deadline);
    }

    /** The client's side: answer the listener's challenge, then challenge it. */
    public static void asClient(MessageChannel channel, byte[] authkey, Duration timeout) throws IOException {
        asClient(channel, authkey, deadline(timeout));
    }

    /**
     * The client's side with a deadline ({@link System#nanoTime()}; {@link FrameReader#NO_DEADLINE}
     * for none).
     */
    public static void asClient(MessageChannel channel, byte[] authkey, long deadline) throws IOException {
        answer(channel, authkey, CLIENT_LABEL, deadline);
        challenge(channel, authkey, LISTENER_LABEL, deadline);
    }

    private static void challenge(MessageChannel channel, byte[] authkey, byte[] peerLabel, long deadline)
            throws IOException {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] message = concat(CHALLENGE, nonce);
        channel.sendBytes(message, 0, message.length);
        byte[] answer = receive(channel, deadline);
        if (!MessageDigest.isEqual(answer, digest(authkey, peerLabel, message))) {
            try {
                channel.sendBytes(FAILURE, 0, FAILURE.length);
            } catch (IOException peerGone) {
                // it cannot hear the verdict; the failure is reported here all the same
            }
            throw new AuthenticationException("digest received was wrong: the peer does not know the authkey");
        }
        channel.sendBytes(WELCOME, 0, WELCOME.length);
    }

    private static void answer(MessageChannel channel, byte[] authkey, byte[] ownLabel, long deadline)
            throws IOException {
        byte[] message = receive(channel, deadline);
        if (message.length != CHALLENGE.length + NONCE_BYTES
                || !Arrays.equals(message, 0, CHALLENGE.length, CHALLENGE, 0, CHALLENGE.length)) {
            throw new AuthenticationException("protocol error: expected an authentication challenge, got "
                    + message.length + " other bytes (does the peer use an authkey?)");
        }
        byte[] answer = digest(authkey, ownLabel, message);
        channel.sendBytes(answer, 0, answer.length);
        byte[] verdict = receive(channel, deadline);
        if (!Arrays.equals(verdict, WELCOME)) {
            throw new AuthenticationException(Arrays.equals(verdict, FAILURE)
                    ? "digest sent was rejected: the peer has a different authkey"
                    : "protocol error: expected the peer's verdict on our digest");
        }
    }

    private static byte[] receive(MessageChannel channel, long deadline) throws IOException {
        try {
            return channel.recvBytesExactly(MAX_MESSAGE, deadline);
        } catch (SocketTimeoutException e) {
            throw new AuthenticationException("authentication timed out: the peer did not answer", e);
        } catch (InterruptedIOException e) {
            throw e; // the caller was interrupted: that says nothing about the peer or the key
        } catch (EOFException e) {
            throw new AuthenticationException("the peer closed the connection during authentication", e);
        } catch (IOException e) {
            if (e instanceof AuthenticationException) {
                throw e;
            }
            throw new AuthenticationException("authentication failed: " + e.getMessage(), e);
        }
    }

    static byte[] digest(byte[] authkey, byte[] label, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(authkey, "HmacSHA256"));
            mac.update(label);
            mac.update((byte) 0);
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static long deadline(Duration timeout) {
        return ClientSocket.deadline(timeout);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
