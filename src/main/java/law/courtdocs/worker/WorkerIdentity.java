package law.courtdocs.worker;

import java.net.InetAddress;
import java.net.UnknownHostException;

final class WorkerIdentity {

    private WorkerIdentity() {}

    /** The pod name on Kubernetes (HOSTNAME), else the machine's. */
    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "worker-" + ProcessHandle.current().pid();
        }
    }
}
