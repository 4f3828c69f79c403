package io.logexaminer.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logexaminer.aws.AccountLookup;
import io.logexaminer.aws.AwsClients;
import io.logexaminer.config.JobSpec;
import io.logexaminer.config.Platform;
import io.logexaminer.error.OperationFailedException;
import io.logexaminer.k8s.ClusterClient;
import io.logexaminer.k8s.DriverPod;
import io.logexaminer.k8s.Forward;
import io.logexaminer.k8s.ForwardSettings;
import io.logexaminer.k8s.ForwardTarget;
import io.logexaminer.k8s.PortForwarder;
import io.logexaminer.k8s.SparkApp;
import io.logexaminer.k8s.SparkApplications;
import io.logexaminer.output.Durations;
import io.logexaminer.plan.Cancellation;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * {@code submit-job}: turns a job into a SparkApplication, submits it, follows it to its end, and the companion
 * operations on an application that exists (status, log, delete).
 */
public final class SparkJobAction implements AutoCloseable {
    /** Placeholder for the account id in a dry run that could not read it. */
    static final String UNKNOWN_ACCOUNT = "{accountId}";
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final Duration OPERATOR_IDLE_WARNING = Duration.ofSeconds(30);
    /** How long a finished job's log may take to arrive in full. */
    private static final Duration LOG_DRAIN = Duration.ofSeconds(10);

    /** What following reports; the command renders it. */
    public interface Listener {
        void state(Instant at, String state, String detail);

        void driverLog(String line);

        void warning(String message);

        void info(String message);
    }

    /** A SparkApplication ready to submit (or print, for a dry run). */
    public record Prepared(String namespace, String name, ObjectNode manifest) {
    }

    /**
     * @param timeout              give up following after this long (the job goes on)
     * @param unschedulableTimeout how long the driver pod may wait for a node before the job counts as stuck
     * @param uiPort               forward the driver's Spark UI to this loopback port (0: a free one) while it runs
     */
    public record FollowOptions(Optional<Duration> timeout, Duration unschedulableTimeout, OptionalInt uiPort) {
    }

    /** The port the Spark driver serves its UI on. */
    static final int SPARK_UI_PORT = 4040;

    public enum Outcome { COMPLETED, FAILED, DRIVER_STUCK, DELETED, TIMED_OUT, CANCELLED }

    public record FollowResult(Outcome outcome, String message, Optional<JobStatus> status) {
    }

    /** A SparkApplication's status as the commands print it. */
    public record JobStatus(String namespace, String name, String state, String errorMessage, int submissionAttempts,
                            int executionAttempts, String driverPod, String sparkApplicationId,
                            Optional<String> submissionTime, Optional<String> terminationTime) {
        static JobStatus of(SparkApp app) {
            return new JobStatus(app.namespace(), app.name(), app.state().isEmpty() ? "NEW" : app.state(), app.errorMessage(),
                    app.submissionAttempts(), app.executionAttempts(), app.driverPod(), app.sparkApplicationId(),
                    app.submissionTime(), app.terminationTime());
        }
    }

    /**
     * The SparkApplication for a job: flags already laid over the file, platform.yaml filling the rest. The
     * platform's ECR registry and Iceberg bucket need the AWS account; a dry run without it shows
     * {@value #UNKNOWN_ACCOUNT} and warns, a submission fails.
     */
    public static Prepared prepare(Platform platform, AwsAccess aws, JobSpec spec, boolean dryRun, RandomGenerator random,
                                   Listener listener) {
        JobSpec.Job job = spec.resolve(platform.spark());
        String account = account(platform, aws, dryRun, listener);
        String name = SparkApplicationManifest.uniqueName(job.name(), random);
        return new Prepared(platform.spark().namespace(), name, SparkApplicationManifest.build(job, platform, account, name));
    }

    private static String account(Platform platform, AwsAccess aws, boolean dryRun, Listener listener) {
        try (AwsClients clients = aws.clients(platform.region())) {
            AccountLookup.Result who = new AccountLookup(clients).identify();
            if (who.known()) {
                return who.identity().account();
            }
            if (!dryRun) {
                throw new OperationFailedException("could not read the AWS account, which names the platform's ECR registry and "
                        + "Iceberg bucket: " + who.problem());
            }
            listener.warning("could not read the AWS account (" + who.problem() + "); the manifest shows " + UNKNOWN_ACCOUNT);
            return UNKNOWN_ACCOUNT;
        }
    }

    private final ClusterClient cluster;
    private final SparkApplications applications;
    private final Clock clock;
    private final Optional<ClusterClient> owned;

    /** On a cluster client the caller owns and closes. */
    public SparkJobAction(ClusterClient cluster) {
        this(cluster, Optional.empty());
    }

    private SparkJobAction(ClusterClient cluster, Optional<ClusterClient> owned) {
        this.cluster = cluster;
        this.applications = new SparkApplications(cluster);
        this.clock = Clock.systemUTC();
        this.owned = owned;
    }

    /** On the cluster the user chose: the platform's EKS cluster, or a kubeconfig context. */
    public static SparkJobAction connect(ClusterAccess.Choice choice, Supplier<Platform> platform, AwsAccess aws) {
        ClusterClient cluster = ClusterAccess.connect(choice, platform, aws).cluster();
        return new SparkJobAction(cluster, Optional.of(cluster));
    }

    @Override
    public void close() {
        owned.ifPresent(ClusterClient::close);
    }

    /**
     * Checks that the operator is there and creates the application. Warns when the operator's webhook is missing:
     * without it the node selectors and tolerations are silently dropped.
     */
    public void submit(Prepared prepared, Platform platform, Listener listener) {
        applications.requireCrd();
        SparkApplications.Webhook webhook = applications.operatorWebhook();
        if (webhook.unknownBecause().isPresent()) {
            listener.info("could not look for the Spark Operator's mutating webhook (" + webhook.unknownBecause().get() + ")");
        } else if (!webhook.present()) {
            listener.warning("the Spark Operator's mutating webhook is not installed"
                    + (platform.kubernetes().sparkOperator().webhook() ? "" : " (kubernetes.sparkOperator.webhook is false)")
                    + ": the driver's and executors' node selectors and tolerations will be silently dropped");
        }
        applications.create(prepared.manifest());
        listener.state(clock.instant(), "CREATED", prepared.namespace() + "/" + prepared.name());
    }

    /**
     * Follows an application until it completes, fails, gets stuck, is deleted, the timeout passes or the user
     * cancels: state changes with their time, the driver log once the driver runs (again after each retry).
     */
    public FollowResult follow(String namespace, String name, FollowOptions options, Listener listener, Cancellation cancellation) {
        Instant start = clock.instant();
        Optional<Instant> deadline = options.timeout().map(start::plus);
        JobFollow follow = new JobFollow(start, options.unschedulableTimeout(), OPERATOR_IDLE_WARNING, new JobFollow.Events() {
            @Override
            public void state(Instant at, String state, String detail) {
                listener.state(at, state, detail);
            }

            @Override
            public void warning(String message) {
                listener.warning(message);
            }
        });
        BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
        DriverLog log = new DriverLog(namespace, listener);
        DriverUi ui = new DriverUi(namespace, options.uiPort(), listener);
        try (AutoCloseable appWatch = applications.watch(namespace, name, app -> signals.add(new Signal(app)));
             AutoCloseable podWatch = applications.watchDriverPods(namespace, name, () -> signals.add(Signal.WAKE));
             AutoCloseable onCancel = cancellation.onCancel(() -> signals.add(Signal.WAKE));
             log;
             ui) {
            Optional<SparkApp> app = Optional.of(require(namespace, name));
            while (true) {
                Optional<DriverPod> pod = app.isEmpty() ? Optional.empty() : applications.driverPod(namespace, app.get().driverPod());
                Optional<JobFollow.Verdict> verdict = follow.observe(app, pod, clock.instant());
                log.follow(pod);
                ui.open(pod);
                if (verdict.isPresent()) {
                    log.drain(verdict.get().outcome() == JobFollow.Outcome.COMPLETED || verdict.get().outcome() == JobFollow.Outcome.FAILED
                            ? LOG_DRAIN : Duration.ZERO);
                    return new FollowResult(Outcome.valueOf(verdict.get().outcome().name()), verdict.get().message(),
                            app.map(JobStatus::of));
                }
                if (cancellation.isCancelled()) {
                    return new FollowResult(Outcome.CANCELLED, "stopped following " + namespace + "/" + name, app.map(JobStatus::of));
                }
                Duration wait = POLL;
                if (deadline.isPresent()) {
                    Duration left = Duration.between(clock.instant(), deadline.get());
                    if (left.isNegative() || left.isZero()) {
                        return new FollowResult(Outcome.TIMED_OUT, namespace + "/" + name + " did not finish within "
                                + Durations.format(options.timeout().get()), app.map(JobStatus::of));
                    }
                    wait = left.compareTo(POLL) < 0 ? left : POLL;
                }
                Signal signal = signals.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
                if (signal == null) {
                    app = applications.get(namespace, name);
                } else if (signal.app() != null && newer(signal.app(), app)) {
                    app = signal.app();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new FollowResult(Outcome.CANCELLED, "stopped following " + namespace + "/" + name, Optional.empty());
        } catch (OperationFailedException e) {
            throw e;
        } catch (Exception e) {
            throw new OperationFailedException("following " + namespace + "/" + name + " failed: " + e.getMessage(), e);
        }
    }

    public JobStatus status(String namespace, String name) {
        return JobStatus.of(require(namespace, name));
    }

    /** The current driver's log so far. */
    public String log(String namespace, String name) {
        return applications.log(namespace, require(namespace, name).driverPod());
    }

    public void delete(String namespace, String name) {
        if (!applications.delete(namespace, name)) {
            throw new OperationFailedException("no SparkApplication " + namespace + "/" + name);
        }
    }

    private SparkApp require(String namespace, String name) {
        return applications.get(namespace, name)
                .orElseThrow(() -> new OperationFailedException("no SparkApplication " + namespace + "/" + name));
    }

    /** A watch event (its application, empty once deleted) or a nudge to look again ({@code app} null). */
    private record Signal(Optional<SparkApp> app) {
        static final Signal WAKE = new Signal(null);
    }

    /** Watch events may arrive after a newer read: keep whichever the server wrote last. */
    private static boolean newer(Optional<SparkApp> candidate, Optional<SparkApp> current) {
        if (candidate.isEmpty() || current.isEmpty()) {
            return true;
        }
        try {
            return Long.parseLong(candidate.get().resourceVersion()) >= Long.parseLong(current.get().resourceVersion());
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /**
     * The driver's Spark UI on a local port, from the moment the driver runs until following ends. The forward goes
     * to the pod by name, so a retry's new driver is reached the same way.
     */
    private final class DriverUi implements AutoCloseable {
        private final String namespace;
        private final OptionalInt port;
        private final Listener listener;
        private PortForwarder forwarder;

        DriverUi(String namespace, OptionalInt port, Listener listener) {
            this.namespace = namespace;
            this.port = port;
            this.listener = listener;
        }

        void open(Optional<DriverPod> pod) {
            if (port.isEmpty() || forwarder != null || pod.isEmpty() || !pod.get().logReadable()) {
                return;
            }
            forwarder = new PortForwarder(cluster, ForwardSettings.DEFAULT, listener::warning);
            try {
                Forward forward = forwarder.open(ForwardTarget.pod(namespace, pod.get().name(), String.valueOf(SPARK_UI_PORT)),
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), port.getAsInt()));
                listener.info("Spark UI: http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":"
                        + forward.localAddress().getPort() + " (while the job is followed)");
            } catch (OperationFailedException e) {
                listener.warning("no Spark UI: " + e.getMessage());
            }
        }

        @Override
        public void close() {
            if (forwarder != null) {
                forwarder.close();
            }
        }
    }

    /** The driver log, streamed from each new driver pod once its container has started. */
    private final class DriverLog implements AutoCloseable {
        private final String namespace;
        private final Listener listener;
        private String podUid;
        private int runs;
        private SparkApplications.LogStream stream;

        DriverLog(String namespace, Listener listener) {
            this.namespace = namespace;
            this.listener = listener;
        }

        void follow(Optional<DriverPod> pod) {
            if (pod.isEmpty() || !pod.get().logReadable() || pod.get().uid().equals(podUid)) {
                return;
            }
            close();
            podUid = pod.get().uid();
            runs++;
            if (runs > 1) {
                listener.info("driver log of " + pod.get().name() + " (run " + runs + ")");
            }
            stream = applications.followLog(namespace, pod.get().name(), listener::driverLog);
        }

        void drain(Duration timeout) throws InterruptedException {
            if (stream != null && !timeout.isZero() && !stream.awaitEnd(timeout)) {
                listener.info("the driver log did not end within " + Durations.format(timeout));
            }
        }

        @Override
        public void close() {
            if (stream != null) {
                stream.close();
                stream = null;
            }
        }
    }
}
