package io.multiprocessing4j.internal.manager;

/** A manager's {@code Event}: a flag that waiters wait to see set. */
final class ServerEvent implements ServerObject {
    private boolean flag;

    @Override
    public synchronized Object apply(String operation, Object[] args, Caller caller) {
        switch (operation) {
            case "set": flag = true; notifyAll(); return null;
            case "clear": flag = false; return null;
            case "isSet": return flag;
            case "wait": {
                long deadline = Waits.deadlineOf(args);
                while (!flag) {
                    if (!Waits.waitUntil(this, deadline, caller)) {
                        return Pending.NOT_YET;
                    }
                }
                return Boolean.TRUE;
            }
            case "toString": return "Event[" + (flag ? "set" : "unset") + "]";
            default: throw SharedKind.unknown(operation);
        }
    }
}
