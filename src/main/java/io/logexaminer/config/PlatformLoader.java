package io.logexaminer.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads platform.yaml strictly (an unknown key is an error), fills defaults, validates, and reports every
 * problem at once. Nothing here talks to AWS.
 */
public final class PlatformLoader {

    /** A platform that passed validation, with its warnings and where each path was written. */
    public record Loaded(Platform platform, String source, LineIndex lines, List<Problem> warnings) {
    }

    private PlatformLoader() {
    }

    /**
     * Loads a file, or stdin when {@code file} is {@code -}.
     *
     * @param regionOverride the {@code --region} option, which wins over the file's {@code region}
     */
    public static Loaded load(String file, InputStream stdin, Optional<String> regionOverride) {
        String source = file.equals("-") ? "<stdin>" : file;
        String text;
        try {
            text = file.equals("-")
                    ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw ConfigException.of(source, 1, "", "no such file (looked at " + Path.of(file).toAbsolutePath().normalize()
                    + "; use -f FILE to name another)");
        } catch (IOException e) {
            throw ConfigException.of(source, 1, "", "cannot read: " + e.getMessage());
        }
        return parse(source, text, regionOverride);
    }

    /** Parses platform.yaml text; throws {@link ConfigException} listing every error. */
    public static Loaded parse(String source, String text, Optional<String> regionOverride) {
        List<Problem> problems = new ArrayList<>();
        YamlNode root = new YamlParser(source, problems).parse(text);
        if (root == null) {
            throw new ConfigException(problems);
        }
        LineIndex lines = new LineIndex();
        Platform platform = null;
        if (root instanceof YamlNode.Mapping mapping) {
            Fields fields = new Fields(source, problems, lines, mapping, "");
            platform = readPlatform(fields, regionOverride);
            fields.end();
        } else {
            problems.add(new Problem(source, root.line(), "", "expected a mapping at the top of the file, found " + root.kind(),
                    Problem.Severity.ERROR));
        }
        if (platform != null && problems.stream().noneMatch(p -> p.severity() == Problem.Severity.ERROR)) {
            problems.addAll(new PlatformValidator(source, lines).validate(platform));
        }
        List<Problem> errors = problems.stream().filter(p -> p.severity() == Problem.Severity.ERROR).toList();
        if (!errors.isEmpty()) {
            throw new ConfigException(sorted(problems));
        }
        return new Loaded(platform, source, lines, sorted(problems));
    }

    private static List<Problem> sorted(List<Problem> problems) {
        return problems.stream().sorted((a, b) -> Integer.compare(a.line(), b.line())).toList();
    }

    private static Platform readPlatform(Fields f, Optional<String> regionOverride) {
        String name = f.requiredString("name");
        String fileRegion = f.string("region", null);
        String region = regionOverride.orElse(fileRegion);
        if (region == null) {
            f.requiredString("region");
            region = "";
        }
        String finalRegion = region;
        Map<String, String> tags = f.stringMap("tags", Map.of());
        Platform.Network network = f.object("network", n -> readNetwork(n, finalRegion));
        List<Platform.ImageMirror> images = f.objects("images", PlatformLoader::readImage, () -> Defaults.IMAGES);
        Platform.Eks eks = f.object("eks", e -> readEks(e, name));
        Platform.Storage storage = f.object("storage", s -> new Platform.Storage(
                s.object("rawBucket", b -> readBucket(b, name + "-raw-{accountId}-{region}", 30)),
                s.object("icebergBucket", b -> readBucket(b, name + "-iceberg-{accountId}-{region}", 0))));
        Platform.Database database = f.object("database", d -> readDatabase(d, name));
        Platform.Ecr ecr = f.object("ecr", e -> readEcr(e, images));
        Platform.Kubernetes kubernetes = f.object("kubernetes", PlatformLoader::readKubernetes);
        Platform.Spark spark = f.object("spark", s -> readSpark(s, kubernetes.sparkOperator().namespace()));
        return new Platform(name, region, tags, network, eks, storage, database, ecr, images, kubernetes, spark);
    }

    private static Platform.Network readNetwork(Fields f, String region) {
        String vpcCidr = f.string("vpcCidr", Defaults.VPC_CIDR);
        List<String> zones = f.strings("availabilityZones", Defaults.availabilityZones(region));
        List<Platform.Subnet> publicSubnets = f.objects("publicSubnets", PlatformLoader::readSubnet,
                () -> carve(vpcCidr, zones, true));
        List<Platform.Subnet> privateSubnets = f.objects("privateSubnets", PlatformLoader::readSubnet,
                () -> carve(vpcCidr, zones, false));
        Platform.NatGateway nat = f.choice("natGateway", Platform.NatGateway.SINGLE,
                spellings(Platform.NatGateway.values(), Platform.NatGateway::spelling));
        List<Platform.VpcEndpoint> endpoints = readEndpoints(f);
        return new Platform.Network(vpcCidr, zones, publicSubnets, privateSubnets, nat, endpoints);
    }

    /**
     * Default subnets: the VPC's first quarter holds the public subnets (a sixteenth of the VPC each), the other
     * three quarters one private subnet each. Without a valid CIDR, or with more than three zones, there is no
     * default and validation asks for explicit subnets.
     */
    private static List<Platform.Subnet> carve(String vpcCidr, List<String> zones, boolean isPublic) {
        Optional<Cidr> vpc = Cidr.parse(vpcCidr);
        if (vpc.isEmpty() || zones.size() > 3 || vpc.get().prefixLength() > 24) {
            return List.of();
        }
        List<Platform.Subnet> out = new ArrayList<>();
        for (int i = 0; i < zones.size(); i++) {
            Cidr subnet = isPublic ? vpc.get().subdivide(4, i) : vpc.get().subdivide(2, i + 1);
            out.add(new Platform.Subnet(zones.get(i), subnet.toString()));
        }
        return out;
    }

    private static Platform.Subnet readSubnet(Fields f) {
        return new Platform.Subnet(f.requiredString("availabilityZone"), f.requiredString("cidr"));
    }

    private static List<Platform.VpcEndpoint> readEndpoints(Fields f) {
        return f.choices("endpoints", List.of(Platform.VpcEndpoint.values()),
                spellings(Platform.VpcEndpoint.values(), Platform.VpcEndpoint::spelling));
    }

    private static Platform.Eks readEks(Fields f, String platformName) {
        String clusterName = f.string("clusterName", platformName);
        String version = f.string("version", Defaults.EKS_VERSION);
        boolean publicAccess = f.bool("endpointPublicAccess", true);
        boolean privateAccess = f.bool("endpointPrivateAccess", true);
        List<String> publicCidrs = f.strings("publicAccessCidrs", List.of("0.0.0.0/0"));
        List<Platform.NodeGroup> groups = f.objects("nodeGroups", PlatformLoader::readNodeGroup,
                () -> List.of(Defaults.nodeGroup("system"), Defaults.nodeGroup("executors")));
        List<Platform.Addon> addons = f.objects("addons",
                a -> new Platform.Addon(a.requiredString("name"), a.string("version", "")),
                () -> Defaults.ADDONS.stream().map(n -> new Platform.Addon(n, "")).toList());
        Platform.ClusterAutoscaler autoscaler = f.object("clusterAutoscaler", c -> new Platform.ClusterAutoscaler(
                c.bool("enabled", true), c.string("image", Defaults.CLUSTER_AUTOSCALER_IMAGE)));
        return new Platform.Eks(clusterName, version, publicAccess, privateAccess, publicCidrs, groups, addons, autoscaler);
    }

    private static Platform.NodeGroup readNodeGroup(Fields f) {
        String name = f.requiredString("name");
        Platform.NodeGroup d = Defaults.nodeGroup(name);
        return new Platform.NodeGroup(
                name,
                f.choice("capacityType", d.capacityType(), spellings(Platform.CapacityType.values(), Platform.CapacityType::spelling)),
                f.strings("instanceTypes", d.instanceTypes()),
                f.integer("minSize", d.minSize()),
                f.integer("desiredSize", d.desiredSize()),
                f.integer("maxSize", d.maxSize()),
                f.integer("diskSizeGiB", d.diskSizeGiB()),
                f.stringMap("labels", d.labels()),
                f.objects("taints", t -> new Platform.Taint(
                        t.requiredString("key"),
                        t.string("value", ""),
                        t.choice("effect", Platform.TaintEffect.NO_SCHEDULE,
                                spellings(Platform.TaintEffect.values(), Platform.TaintEffect::spelling))),
                        d::taints));
    }

    private static Platform.Bucket readBucket(Fields f, String defaultName, int defaultTransitionDays) {
        return new Platform.Bucket(
                f.string("name", defaultName),
                f.bool("versioning", true),
                f.integer("transitionToIaDays", defaultTransitionDays));
    }

    private static Platform.Database readDatabase(Fields f, String platformName) {
        return new Platform.Database(
                f.string("identifier", platformName + "-hms"),
                f.string("engineVersion", "16.8"),
                f.string("instanceClass", "db.t4g.medium"),
                f.integer("allocatedStorageGiB", 20),
                f.bool("multiAz", false),
                f.string("databaseName", "metastore"),
                f.string("username", "hive"),
                f.integer("port", 5432),
                f.integer("backupRetentionDays", 7),
                f.bool("deletionProtection", false),
                f.string("secretName", "logexaminer/" + platformName + "/hms-db"));
    }

    private static Platform.Ecr readEcr(Fields f, List<Platform.ImageMirror> images) {
        List<String> fromImages = images.stream().map(Platform.ImageMirror::targetRepository).distinct().toList();
        return new Platform.Ecr(
                f.strings("repositories", fromImages),
                f.bool("scanOnPush", true),
                f.choice("tagMutability", Platform.TagMutability.IMMUTABLE,
                        spellings(Platform.TagMutability.values(), Platform.TagMutability::spelling)),
                f.integer("keepLastImages", 30));
    }

    private static Platform.ImageMirror readImage(Fields f) {
        return new Platform.ImageMirror(f.requiredString("source"), f.requiredString("target"));
    }

    private static Platform.Kubernetes readKubernetes(Fields f) {
        Platform.SparkOperator operator = f.object("sparkOperator", o -> new Platform.SparkOperator(
                o.string("namespace", "spark"),
                o.string("image", Defaults.SPARK_OPERATOR_IMAGE),
                o.bool("webhook", true)));
        Platform.HiveMetastore hms = f.object("hiveMetastore", h -> new Platform.HiveMetastore(
                h.string("namespace", "hive"),
                h.string("image", Defaults.HIVE_IMAGE),
                h.integer("replicas", 1),
                h.integer("port", 9083)));
        Platform.ClickHouse clickhouse = f.object("clickhouse", c -> new Platform.ClickHouse(
                c.string("namespace", "clickhouse"),
                c.string("image", Defaults.CLICKHOUSE_IMAGE),
                c.string("serviceName", "clickhouse"),
                c.integer("httpPort", 8123),
                c.integer("nativePort", 9000),
                c.integer("storageGiB", 100),
                c.object("credentials", k -> new Platform.ClickHouseCredentials(
                        k.string("user", "default"),
                        k.choice("source", Platform.SecretSource.KUBERNETES,
                                spellings(Platform.SecretSource.values(), Platform.SecretSource::spelling)),
                        k.string("secretName", "clickhouse-auth"),
                        k.string("key", "password")))));
        Platform.ExternalSecrets externalSecrets = f.object("externalSecrets", e -> new Platform.ExternalSecrets(
                e.string("namespace", "external-secrets"),
                e.string("image", Defaults.EXTERNAL_SECRETS_IMAGE)));
        return new Platform.Kubernetes(operator, hms, clickhouse, externalSecrets);
    }

    private static Platform.Spark readSpark(Fields f, String operatorNamespace) {
        return new Platform.Spark(
                f.string("namespace", operatorNamespace),
                f.string("serviceAccount", "spark-apps"),
                f.string("image", Defaults.SPARK_IMAGE),
                f.string("sparkVersion", Defaults.SPARK_VERSION),
                f.object("driver", d -> new Platform.Resources(d.integer("cores", 1), d.string("memory", "2g"))),
                f.object("executor", e -> new Platform.Executor(
                        e.integer("cores", 2), e.string("memory", "4g"), e.integer("instances", 2))),
                f.stringMap("sparkConf", Map.of()));
    }

    static <E extends Enum<E>> Map<String, E> spellings(E[] values, java.util.function.Function<E, String> spelling) {
        Map<String, E> out = new LinkedHashMap<>();
        Arrays.stream(values).forEach(v -> out.put(spelling.apply(v), v));
        return out;
    }
}
