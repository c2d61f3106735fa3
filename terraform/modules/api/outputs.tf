output "rest_api_id" {
  description = "ID of the REST API."
  value       = aws_api_gateway_rest_api.this.id
}

output "name" {
  description = "Name of the REST API (the ApiName dimension of its CloudWatch metrics)."
  value       = aws_api_gateway_rest_api.this.name
}

output "execution_arn" {
  description = "Execution ARN of the REST API (arn:aws:execute-api:<region>:<account>:<api id>), the base of Lambda permission source ARNs."
  value       = aws_api_gateway_rest_api.this.execution_arn
}

output "stage_name" {
  description = "Name of the deployed stage."
  value       = aws_api_gateway_stage.this.stage_name
}

output "invoke_url" {
  description = "Base URL of the stage, without a trailing slash (https://<api id>.execute-api.<region>.amazonaws.com/<stage>)."
  value       = trimsuffix(aws_api_gateway_stage.this.invoke_url, "/")
}

output "routes" {
  description = "Routes found in the OpenAPI document that call a function: \"METHOD /path\" => function key."
  value       = { for key, route in local.routes : key => route.function }
}

output "access_log_group_name" {
  description = "CloudWatch log group with the stage's JSON access logs."
  value       = aws_cloudwatch_log_group.access.name
}

output "api_key_id" {
  description = "ID of the generate API key when generate_auth = api_key, else null. Read its value with: aws apigateway get-api-key --include-value --api-key <id>."
  value       = try(aws_api_gateway_api_key.this[0].id, null)
}

output "api_key_value" {
  description = "Value of the generate API key when generate_auth = api_key, else null."
  value       = try(aws_api_gateway_api_key.this[0].value, null)
  sensitive   = true
}

output "logging" {
  description = "Stage logging mode: off, existing-role or create-role."
  value       = var.logging
}

output "waf_web_acl_arn" {
  description = "ARN of the per-IP rate-limiting WAF web ACL on the stage, or null without waf_rate_limit_per_5_minutes."
  value       = try(aws_wafv2_web_acl.this[0].arn, null)
}
