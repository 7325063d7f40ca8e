"""Who writes an Application Load Balancer's access logs into S3, by region: what a bucket policy allows.

From "Enable access logs for your Application Load Balancer" (ELB guide, step 2, "Attach a policy to your
S3 bucket"): "The bucket policy that you'll use depends on the AWS Region". For "Regions available before
August 2022" the policy allows "arn:aws:iam::elb-account-id:root", with the Elastic Load Balancing account of
the region from the page's list (below); for "Regions available as of August 2022 or later" (the page lists
Asia Pacific (Hyderabad), Asia Pacific (Melbourne), Europe (Spain), Europe (Zurich), Middle East (UAE)) it
allows the service principal `logdelivery.elasticloadbalancing.amazonaws.com`. Every region missing from the
account list opened later than it, so it takes the service principal. The China regions are documented
apart (docs.amazonaws.cn) and refused here rather than guessed.
"""

#: "Replace elb-account-id with the ID of the AWS account for Elastic Load Balancing for your Region".
ELB_ACCOUNTS = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-southeast-3": "589379963580",
    "ap-south-1": "718504428378",
    "ap-northeast-3": "383597477331",
    "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-south-1": "635631232127",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-gov-west-1": "048591011584",
    "us-gov-east-1": "190560391635",
}

#: The principal of the newer regions' policy.
LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com"


def elb_log_writer(partition: str, region: str) -> dict[str, str]:
    """The `Principal` of the statement that lets the load balancers of `region` write their access logs."""
    if region.startswith("cn-"):
        raise ValueError(f"`region` {region!r}: China's ELB log-delivery accounts are not listed here")
    if account := ELB_ACCOUNTS.get(region):
        return {"AWS": f"arn:{partition}:iam::{account}:root"}
    return {"Service": LOG_DELIVERY_SERVICE}
