package io.logexaminer.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.eks.model.EksException;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each kind of AWS refusal tells the user to do. The CLI-level tests show the refused action's name as well. */
class AwsErrorsTest {
    private static final String WHO = "arn:aws:iam::123456789012:user/ci";

    private static AwsServiceException ec2(String code, int status) {
        return Ec2Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("AWS says so").build()).build();
    }

    @Test
    void capacityZoneQuotaAndAccessEachSayWhatToChange() {
        assertTrue(AwsErrors.failure(ec2("InsufficientInstanceCapacity", 500), "eks-nodegroup/executors", WHO).getMessage()
                .contains("AWS has no capacity for it (InsufficientInstanceCapacity: AWS says so): choose other instance types or availability zones"));
        assertTrue(AwsErrors.failure(EksException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("UnsupportedAvailabilityZoneException").errorMessage("us-east-1e cannot host").build()).build(),
                "eks-cluster", WHO).getMessage().contains("choose other instance types or availability zones"));
        assertTrue(AwsErrors.failure(ec2("InvalidAvailabilityZone", 400), "subnet/private/eu-west-1z", WHO).getMessage()
                .endsWith("choose other network.availabilityZones in platform.yaml"));
        assertTrue(AwsErrors.failure(ec2("VpcLimitExceeded", 400), "vpc", WHO).getMessage()
                .contains("a service quota is reached (VpcLimitExceeded: AWS says so): raise it in Service Quotas"));
        assertTrue(AwsErrors.failure(ec2("AccessDenied", 403), "vpc", WHO).getMessage()
                .startsWith("vpc: " + WHO + " is not allowed to call "));
        assertTrue(AwsErrors.failure(ec2("RequestLimitExceeded", 400), "vpc", WHO).getMessage()
                .contains("kept failing after retries (RequestLimitExceeded"), "EC2's throttling is not a quota");
        assertTrue(AwsErrors.failure(ec2("ServiceUnavailable", 503), "vpc", WHO).getMessage()
                .contains("kept failing after retries (ServiceUnavailable: AWS says so): try again later; up resumes where it stopped"));
    }
}
