# Values for the dev environment: non-secret only. Every variable not set here keeps its default
# (terraform/variables.tf). Used as: terraform apply -var-file=dev.tfvars inside terraform/ (where
# terraform/dev.tfvars links to this file), or terraform -chdir=terraform apply -var-file=dev.tfvars.
# To get a first user and alarm e-mails, add initial_user_email and alarm_email.
project     = "imagegen"
environment = "dev"
region      = "us-west-2"
stage_name  = "dev"

# Public generate routes by default; "cognito" or "api_key" put them behind sign-in or an API key.
generate_auth = "none"

default_model = "stability.stable-image-core-v1:1"

# Cost guards: API Gateway throttling in requests per second, and burst sizes.
api_throttling_rate_limit       = 10
api_throttling_burst_limit      = 20
generate_throttling_rate_limit  = 2
generate_throttling_burst_limit = 5

log_retention_days              = 14
generated_image_expiration_days = 30
