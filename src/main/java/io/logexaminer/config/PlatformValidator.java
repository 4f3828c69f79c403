package io.logexaminer.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The checks that need more than one value at a time, or AWS's naming rules. Pure: no AWS call. */
final class PlatformValidator {
    private static final Pattern PLATFORM_NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}[a-z0-9]");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");
    private static final Pattern DB_INSTANCE_CLASS = Pattern.compile("db\\.[a-z0-9-]+\\.[a-z0-9]+");
    private static final Pattern DB_IDENTIFIER = Pattern.compile("[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,62}(?<!-)");
    private static final Pattern DB_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,62}");
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
    private static final Pattern ECR_REPOSITORY = Pattern.compile("(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*");
    private static final Pattern CLUSTER_NAME = Pattern.compile("[0-9A-Za-z][A-Za-z0-9_-]{0,99}");
    static final Pattern MEMORY = Pattern.compile("[0-9]+[kmgt]?", Pattern.CASE_INSENSITIVE);
    private static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?");
    private static final Pattern ENGINE_VERSION = Pattern.compile("[0-9]+(\\.[0-9]+)?");
    /** The longest IAM role name the platform makes is NAME-REGION- plus this suffix. */
    private static final String LONGEST_ROLE_SUFFIX = "cluster-autoscaler";
    private static final Set<String> KNOWN_ADDONS = Set.of("vpc-cni", "coredns", "kube-proxy", "aws-ebs-csi-driver",
            "eks-pod-identity-agent", "aws-efs-csi-driver", "snapshot-controller", "amazon-cloudwatch-observability");

    private final String source;
    private final LineIndex lines;
    private final List<Problem> problems = new ArrayList<>();

    PlatformValidator(String source, LineIndex lines) {
        this.source = source;
        this.lines = lines;
    }

    List<Problem> validate(Platform p) {
        if (!PLATFORM_NAME.matcher(p.name()).matches()) {
            error("name", "'" + p.name() + "' must be 2 to 32 lowercase letters, digits or '-', starting with a letter");
        }
        if (!REGION.matcher(p.region()).matches()) {
            error("region", "'" + p.region() + "' is not an AWS region name such as eu-west-1");
        }
        String roleName = p.name() + "-" + p.region() + "-" + LONGEST_ROLE_SUFFIX;
        if (roleName.length() > 64) {
            error("name", "IAM role names such as " + roleName + " would be " + roleName.length()
                    + " characters; IAM allows 64: shorten the platform name");
        }
        p.tags().forEach((k, v) -> {
            if (k.startsWith("aws:") || k.startsWith("logexaminer.io/")) {
                error("tags." + k, "tag keys starting with 'aws:' or 'logexaminer.io/' are reserved");
            } else if (k.length() > 128 || v.length() > 256) {
                error("tags." + k, "tag keys have at most 128 characters and values 256");
            }
        });
        validateNetwork(p.network(), p.region());
        validateEks(p.eks());
        validateStorage(p.storage());
        validateDatabase(p.database());
        validateImages(p);
        validateKubernetes(p);
        validateSpark(p.spark());
        return problems;
    }

    private void validateNetwork(Platform.Network n, String region) {
        Optional<Cidr> vpc = Cidr.parse(n.vpcCidr());
        if (vpc.isEmpty()) {
            error("network.vpcCidr", "'" + n.vpcCidr() + "' is not an IPv4 CIDR such as 10.0.0.0/16");
        } else if (!vpc.get().isNormalized()) {
            error("network.vpcCidr", n.vpcCidr() + " has host bits set; did you mean " + vpc.get().normalized() + "?");
        } else if (vpc.get().prefixLength() < 16 || vpc.get().prefixLength() > 28) {
            error("network.vpcCidr", n.vpcCidr() + ": a VPC's prefix must be between /16 and /28");
        }
        if (n.availabilityZones().size() < 2) {
            error("network.availabilityZones", "EKS needs at least two availability zones; found " + n.availabilityZones().size());
        }
        Set<String> seenZones = new HashSet<>();
        for (int i = 0; i < n.availabilityZones().size(); i++) {
            String zone = n.availabilityZones().get(i);
            String path = "network.availabilityZones[" + i + "]";
            if (!seenZones.add(zone)) {
                error(path, zone + " is listed twice");
            } else if (!zone.startsWith(region) || zone.length() <= region.length()) {
                error(path, zone + " is not an availability zone of region " + region);
            }
        }
        List<Cidr> seen = new ArrayList<>();
        List<String> seenPaths = new ArrayList<>();
        for (String tier : List.of("publicSubnets", "privateSubnets")) {
            List<Platform.Subnet> subnets = tier.equals("publicSubnets") ? n.publicSubnets() : n.privateSubnets();
            Map<String, Integer> perZone = new HashMap<>();
            for (int i = 0; i < subnets.size(); i++) {
                Platform.Subnet s = subnets.get(i);
                String path = "network." + tier + "[" + i + "]";
                Optional<Cidr> cidr = Cidr.parse(s.cidr());
                if (cidr.isEmpty()) {
                    error(path + ".cidr", "'" + s.cidr() + "' is not an IPv4 CIDR");
                } else if (!cidr.get().isNormalized()) {
                    error(path + ".cidr", s.cidr() + " has host bits set; did you mean " + cidr.get().normalized() + "?");
                } else if (cidr.get().prefixLength() > 28) {
                    error(path + ".cidr", s.cidr() + ": a subnet's prefix must be /28 or larger");
                } else if (vpc.isPresent() && !vpc.get().contains(cidr.get())) {
                    error(path + ".cidr", s.cidr() + " is outside vpcCidr " + n.vpcCidr());
                } else {
                    for (int j = 0; j < seen.size(); j++) {
                        if (seen.get(j).overlaps(cidr.get())) {
                            error(path + ".cidr", s.cidr() + " overlaps " + seen.get(j) + " (" + seenPaths.get(j) + ")");
                        }
                    }
                    seen.add(cidr.get());
                    seenPaths.add(path);
                }
                if (!n.availabilityZones().contains(s.availabilityZone())) {
                    error(path + ".availabilityZone", s.availabilityZone() + " is not in network.availabilityZones");
                } else {
                    Integer first = perZone.putIfAbsent(s.availabilityZone(), i);
                    if (first != null) {
                        error(path + ".availabilityZone", "a second " + tier + " entry in " + s.availabilityZone()
                                + " (first: " + tier + "[" + first + "]); give one subnet per zone");
                    }
                }
            }
            for (String zone : n.availabilityZones()) {
                if (!perZone.containsKey(zone)) {
                    error("network." + tier, "no subnet in " + zone + "; give one subnet per availability zone"
                            + (subnets.isEmpty() && vpc.isPresent() ? " (defaults are carved only for up to 3 zones)" : ""));
                }
            }
        }
        if (n.natGateway() == Platform.NatGateway.NONE) {
            List<String> missing = new ArrayList<>();
            for (Platform.VpcEndpoint e : Platform.VpcEndpoint.values()) {
                if (!n.endpoints().contains(e)) {
                    missing.add(e.spelling());
                }
            }
            if (!missing.isEmpty()) {
                warn("network.endpoints", "natGateway is none and endpoints lack " + String.join(", ", missing)
                        + ": private nodes will not reach those services");
            }
        }
    }

    private void validateEks(Platform.Eks eks) {
        if (!CLUSTER_NAME.matcher(eks.clusterName()).matches()) {
            error("eks.clusterName", "'" + eks.clusterName() + "' must be 1 to 100 letters, digits, '-' or '_', starting with a letter or digit");
        }
        if (!Defaults.SUPPORTED_EKS_VERSIONS.contains(eks.version())) {
            error("eks.version", "'" + eks.version() + "' is not a supported EKS version (supported: "
                    + String.join(", ", Defaults.SUPPORTED_EKS_VERSIONS) + "); quote it, as in \"1.33\"");
        }
        if (!eks.endpointPublicAccess() && !eks.endpointPrivateAccess()) {
            error("eks.endpointPrivateAccess", "at least one of endpointPublicAccess and endpointPrivateAccess must be true");
        }
        for (int i = 0; i < eks.publicAccessCidrs().size(); i++) {
            String cidr = eks.publicAccessCidrs().get(i);
            if (Cidr.parse(cidr).isEmpty()) {
                error("eks.publicAccessCidrs[" + i + "]", "'" + cidr + "' is not an IPv4 CIDR");
            }
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < eks.nodeGroups().size(); i++) {
            Platform.NodeGroup g = eks.nodeGroups().get(i);
            String path = "eks.nodeGroups[" + i + "]";
            if (!CLUSTER_NAME.matcher(g.name()).matches() || g.name().length() > 63) {
                error(path + ".name", "'" + g.name() + "' must be 1 to 63 letters, digits, '-' or '_'");
            }
            if (!names.add(g.name())) {
                error(path + ".name", "node group '" + g.name() + "' is defined twice");
            }
            if (g.minSize() < 0) {
                error(path + ".minSize", "must be 0 or more");
            }
            if (g.maxSize() < 1) {
                error(path + ".maxSize", "must be at least 1");
            }
            if (g.minSize() > g.desiredSize() || g.desiredSize() > g.maxSize()) {
                error(path + ".desiredSize", "need minSize <= desiredSize <= maxSize; found " + g.minSize() + " <= "
                        + g.desiredSize() + " <= " + g.maxSize());
            }
            if (g.diskSizeGiB() < 20 || g.diskSizeGiB() > 16384) {
                error(path + ".diskSizeGiB", g.diskSizeGiB() + " is outside 20..16384");
            }
            if (g.instanceTypes().isEmpty()) {
                error(path + ".instanceTypes", "needs at least one instance type");
            }
            for (int t = 0; t < g.instanceTypes().size(); t++) {
                if (!INSTANCE_TYPE.matcher(g.instanceTypes().get(t)).matches()) {
                    error(path + ".instanceTypes[" + t + "]", "'" + g.instanceTypes().get(t) + "' is not an instance type such as m6i.large");
                }
            }
            if (g.capacityType() == Platform.CapacityType.SPOT && g.instanceTypes().size() == 1) {
                warn(path + ".instanceTypes", "a spot group with one instance type is often short of capacity; list several");
            }
            g.labels().forEach((k, v) -> {
                if (!LABEL_KEY.matcher(k).matches() || !LABEL_VALUE.matcher(v).matches()) {
                    error(path + ".labels." + k, "'" + k + "=" + v + "' is not a valid Kubernetes label");
                }
            });
            for (int t = 0; t < g.taints().size(); t++) {
                Platform.Taint taint = g.taints().get(t);
                if (!LABEL_KEY.matcher(taint.key()).matches() || !LABEL_VALUE.matcher(taint.value()).matches()) {
                    error(path + ".taints[" + t + "]", "'" + taint.key() + "=" + taint.value() + "' is not a valid taint");
                }
            }
        }
        if (eks.nodeGroup("system").isEmpty()) {
            error("eks.nodeGroups", "a node group named 'system' is required: coredns, the EBS CSI driver and the platform's services run there");
        }
        if (eks.nodeGroup("executors").isEmpty()) {
            warn("eks.nodeGroups", "no node group named 'executors': Spark executors will run on the system nodes");
        }
        Set<String> addonNames = new HashSet<>();
        for (int i = 0; i < eks.addons().size(); i++) {
            String name = eks.addons().get(i).name();
            if (!KNOWN_ADDONS.contains(name)) {
                error("eks.addons[" + i + "].name", "'" + name + "' is not an EKS add-on the tool manages (" + String.join(", ", KNOWN_ADDONS.stream().sorted().toList()) + ")");
            } else if (!addonNames.add(name)) {
                error("eks.addons[" + i + "].name", "add-on '" + name + "' is listed twice");
            }
        }
    }

    private void validateStorage(Platform.Storage s) {
        validateBucket("storage.rawBucket", s.rawBucket());
        validateBucket("storage.icebergBucket", s.icebergBucket());
        if (s.rawBucket().name().equals(s.icebergBucket().name())) {
            error("storage.icebergBucket.name", "the raw and Iceberg buckets must have different names");
        }
    }

    private void validateBucket(String path, Platform.Bucket b) {
        String example = b.name().replace("{accountId}", "123456789012").replace("{region}", "ap-southeast-2");
        String problem = s3BucketNameProblem(example);
        if (problem != null) {
            error(path + ".name", "'" + b.name() + "' is not a valid S3 bucket name: " + problem
                    + (example.equals(b.name()) ? "" : " (with {accountId} and {region} filled in)"));
        }
        if (b.transitionToIaDays() != 0 && b.transitionToIaDays() < 30) {
            error(path + ".transitionToIaDays", "S3 moves objects to STANDARD_IA after 30 days at the earliest; use 0 for no transition");
        }
    }

    /** S3's naming rules for general purpose buckets; null when the name is valid. */
    static String s3BucketNameProblem(String name) {
        if (name.length() < 3 || name.length() > 63) {
            return "it must be 3 to 63 characters long (it is " + name.length() + ")";
        }
        if (!name.matches("[a-z0-9][a-z0-9.-]*[a-z0-9]")) {
            return "only lowercase letters, digits, '.' and '-', starting and ending with a letter or digit";
        }
        if (name.contains("..") || name.contains(".-") || name.contains("-.")) {
            return "no two adjacent periods and no period next to a hyphen";
        }
        if (name.matches("[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+")) {
            return "it must not look like an IP address";
        }
        if (name.startsWith("xn--") || name.startsWith("sthree-") || name.startsWith("amzn-s3-demo-")) {
            return "it must not start with xn--, sthree- or amzn-s3-demo-";
        }
        if (name.endsWith("-s3alias") || name.endsWith("--ol-s3") || name.endsWith(".mrap") || name.endsWith("--x-s3")) {
            return "it must not end with -s3alias, --ol-s3, .mrap or --x-s3";
        }
        return null;
    }

    private void validateDatabase(Platform.Database d) {
        if (!DB_IDENTIFIER.matcher(d.identifier()).matches()) {
            error("database.identifier", "'" + d.identifier() + "' must be 1 to 63 letters, digits or single hyphens, starting with a letter");
        }
        if (!ENGINE_VERSION.matcher(d.engineVersion()).matches()) {
            error("database.engineVersion", "'" + d.engineVersion() + "' is not a PostgreSQL version such as \"16.8\"");
        }
        if (!DB_INSTANCE_CLASS.matcher(d.instanceClass()).matches()) {
            error("database.instanceClass", "'" + d.instanceClass() + "' is not an RDS instance class such as db.t4g.medium");
        }
        if (d.allocatedStorageGiB() < 20 || d.allocatedStorageGiB() > 65536) {
            error("database.allocatedStorageGiB", d.allocatedStorageGiB() + " is outside 20..65536");
        }
        if (!DB_NAME.matcher(d.databaseName()).matches()) {
            error("database.databaseName", "'" + d.databaseName() + "' must be 1 to 63 letters, digits or '_', starting with a letter");
        }
        if (!DB_NAME.matcher(d.username()).matches() || Set.of("postgres", "rdsadmin", "admin").contains(d.username())) {
            error("database.username", "'" + d.username() + "' must be 1 to 63 letters, digits or '_', starting with a letter, and not a reserved name");
        }
        if (d.port() < 1150 || d.port() > 65535) {
            error("database.port", d.port() + " is outside RDS's 1150..65535");
        }
        if (d.backupRetentionDays() < 0 || d.backupRetentionDays() > 35) {
            error("database.backupRetentionDays", d.backupRetentionDays() + " is outside 0..35");
        }
        if (!SECRET_NAME.matcher(d.secretName()).matches()) {
            error("database.secretName", "'" + d.secretName() + "' may use only letters, digits and /_+=.@-");
        }
    }

    private void validateImages(Platform p) {
        Set<String> repositories = new HashSet<>();
        for (int i = 0; i < p.ecr().repositories().size(); i++) {
            String repo = p.ecr().repositories().get(i);
            String path = "ecr.repositories[" + i + "]";
            if (repo.length() < 2 || repo.length() > 256 || !ECR_REPOSITORY.matcher(repo).matches()) {
                error(path, "'" + repo + "' is not a valid ECR repository name");
            } else if (!repositories.add(repo)) {
                error(path, repo + " is listed twice");
            }
        }
        if (p.ecr().keepLastImages() < 1) {
            error("ecr.keepLastImages", "must be at least 1");
        }
        Map<String, Integer> targets = new HashMap<>();
        for (int i = 0; i < p.images().size(); i++) {
            Platform.ImageMirror image = p.images().get(i);
            String path = "images[" + i + "]";
            ImageReference.Result source = ImageReference.parse(image.source());
            if (!source.ok()) {
                error(path + ".source", "'" + image.source() + "' is not an image reference: " + source.error());
            }
            ImageReference.Result target = ImageReference.parse(image.target());
            if (!target.ok()) {
                error(path + ".target", "'" + image.target() + "' is not REPOSITORY:TAG: " + target.error());
            } else if (!target.reference().get().registry().equals(ImageReference.DOCKER_HUB)
                    || image.target().contains("@") || !image.target().contains(":")) {
                error(path + ".target", "'" + image.target() + "' must be REPOSITORY:TAG in the platform's ECR registry, with no registry host or digest");
            } else {
                Integer first = targets.putIfAbsent(image.target(), i);
                if (first != null) {
                    error(path + ".target", image.target() + " is already the target of images[" + first + "]");
                }
                if (!repositories.contains(image.targetRepository())) {
                    error(path + ".target", "repository " + image.targetRepository() + " is not in ecr.repositories");
                }
            }
        }
    }

    private void validateKubernetes(Platform p) {
        Platform.Kubernetes k = p.kubernetes();
        requireMirrored(p, "kubernetes.sparkOperator.image", k.sparkOperator().image());
        requireMirrored(p, "kubernetes.hiveMetastore.image", k.hiveMetastore().image());
        requireMirrored(p, "kubernetes.clickhouse.image", k.clickhouse().image());
        requireMirrored(p, "kubernetes.externalSecrets.image", k.externalSecrets().image());
        requireMirrored(p, "spark.image", p.spark().image());
        if (p.eks().clusterAutoscaler().enabled()) {
            requireMirrored(p, "eks.clusterAutoscaler.image", p.eks().clusterAutoscaler().image());
        }
        for (String[] ns : new String[][]{
                {"kubernetes.sparkOperator.namespace", k.sparkOperator().namespace()},
                {"kubernetes.hiveMetastore.namespace", k.hiveMetastore().namespace()},
                {"kubernetes.clickhouse.namespace", k.clickhouse().namespace()},
                {"kubernetes.externalSecrets.namespace", k.externalSecrets().namespace()}}) {
            if (!ns[1].matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
                error(ns[0], "'" + ns[1] + "' is not a valid Kubernetes namespace name");
            }
        }
        if (k.hiveMetastore().replicas() < 1) {
            error("kubernetes.hiveMetastore.replicas", "must be at least 1");
        }
        for (String[] port : new String[][]{
                {"kubernetes.hiveMetastore.port", String.valueOf(k.hiveMetastore().port())},
                {"kubernetes.clickhouse.httpPort", String.valueOf(k.clickhouse().httpPort())},
                {"kubernetes.clickhouse.nativePort", String.valueOf(k.clickhouse().nativePort())}}) {
            int value = Integer.parseInt(port[1]);
            if (value < 1 || value > 65535) {
                error(port[0], value + " is not a TCP port");
            }
        }
        if (k.clickhouse().storageGiB() < 1) {
            error("kubernetes.clickhouse.storageGiB", "must be at least 1");
        }
    }

    private void requireMirrored(Platform p, String path, String image) {
        boolean mirrored = p.images().stream().anyMatch(i -> i.target().equals(image));
        if (!mirrored) {
            error(path, image + " is not mirrored: add it as an images[].target (private nodes pull only from ECR)");
        }
    }

    private void validateSpark(Platform.Spark s) {
        if (!MEMORY.matcher(s.driver().memory()).matches()) {
            error("spark.driver.memory", "'" + s.driver().memory() + "' is not a memory size such as 2g or 512m");
        }
        if (!MEMORY.matcher(s.executor().memory()).matches()) {
            error("spark.executor.memory", "'" + s.executor().memory() + "' is not a memory size such as 4g");
        }
        if (s.driver().cores() < 1) {
            error("spark.driver.cores", "must be at least 1");
        }
        if (s.executor().cores() < 1) {
            error("spark.executor.cores", "must be at least 1");
        }
        if (s.executor().instances() < 0) {
            error("spark.executor.instances", "must be 0 or more");
        }
    }

    private void error(String path, String message) {
        problems.add(new Problem(source, lines.lineOf(path), path, message, Problem.Severity.ERROR));
    }

    private void warn(String path, String message) {
        problems.add(new Problem(source, lines.lineOf(path), path, message, Problem.Severity.WARNING));
    }
}
