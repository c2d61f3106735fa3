output "region" {
  description = "AWS region of the stack."
  value       = var.region
}

output "invoke_url" {
  description = "Base URL of the API stage (no trailing slash)."
  value       = module.api.invoke_url
}

output "example_get_url" {
  description = "Open in a browser: GET /generate redirects to a freshly generated image."
  value       = "${module.api.invoke_url}/generate?prompt=${urlencode("a lighthouse at dusk, watercolor")}"
}

output "user_pool_id" {
  description = "Cognito user pool ID (for aws cognito-idp admin-create-user --user-pool-id)."
  value       = module.auth.user_pool_id
}

output "user_pool_client_id" {
  description = "Cognito app client ID of the SPA."
  value       = module.auth.client_id
}

output "bucket_name" {
  description = "S3 bucket holding uploaded, edited and generated images."
  value       = module.storage.bucket_name
}

output "table_name" {
  description = "DynamoDB table holding generation, edit and job records."
  value       = module.database.table_name
}

output "web_url" {
  description = "URL of the SPA on Amplify Hosting (empty until a build is deployed to the branch)."
  value       = module.web.origin
}

output "amplify_app_id" {
  description = "Amplify app ID, for the SPA deploy (aws amplify create-deployment --app-id ... --branch-name ...)."
  value       = module.web.app_id
}

output "amplify_branch" {
  description = "Amplify branch the SPA is deployed to."
  value       = module.web.branch_name
}

output "amplify_default_domain" {
  description = "Default domain of the Amplify app (<app id>.amplifyapp.com)."
  value       = module.web.default_domain
}

output "config_js" {
  description = "Content of the SPA's config.js, written next to index.html before the upload."
  value = "window.APP_CONFIG = ${jsonencode({
    userPoolId       = module.auth.user_pool_id
    userPoolClientId = module.auth.client_id
    region           = var.region
    invokeUrl        = module.api.invoke_url
  })};\n"
}

output "function_names" {
  description = "Lambda function names by function folder name."
  value       = { for key, fn in module.function : key => fn.function_name }
}

output "api_routes" {
  description = "Routes of the API that call a function: \"METHOD /path\" => function folder name."
  value       = module.api.routes
}

output "generate_auth" {
  description = "How the generate routes are protected: none, cognito or api_key."
  value       = var.generate_auth
}

output "api_key_id" {
  description = "ID of the generate API key (generate_auth = api_key), else null."
  value       = module.api.api_key_id
}

output "api_key_value" {
  description = "Value of the generate API key (generate_auth = api_key), else null. Show with: terraform output -raw api_key_value."
  value       = module.api.api_key_value
  sensitive   = true
}

output "alarm_topic_arn" {
  description = "SNS topic that receives alarms, or null without alarm_email."
  value       = module.observability.alarm_topic_arn
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = module.observability.dashboard_name
}

output "job_worker_reserved_concurrency" {
  description = "Reserved concurrency of the job worker: the cap applied, or null when the account's Lambda quota leaves no room for one (then long jobs share the account's concurrency with the API)."
  value       = local.reserved_concurrency["job-worker"]
}

output "api_gateway_logging" {
  description = "Stage logging mode: off (no stage logs), existing-role or create-role."
  value       = module.api.logging
}

output "waf_web_acl_arn" {
  description = "Per-IP rate-limiting WAF web ACL on the stage, or null without waf_rate_limit_per_5_minutes."
  value       = module.api.waf_web_acl_arn
}

output "budget_name" {
  description = "Name of the monthly AWS Budgets cost budget, or null without monthly_budget_usd."
  value       = module.observability.budget_name
}

output "models" {
  description = "The models the functions may call and where (read by npm run ready): Bedrock region, default_model, allowed_models, edit_models."
  value = {
    region  = local.bedrock_region
    default = var.default_model
    allowed = var.allowed_models
    edit    = var.edit_models
  }
}

output "web_security_headers" {
  description = "Headers Amplify Hosting sends with every file of the SPA (Content-Security-Policy, HSTS, ...), from shared/web/browser-policy.json. A change reaches the site with the next npm run deploy:web."
  value       = local.browser_policy.security_headers
}
