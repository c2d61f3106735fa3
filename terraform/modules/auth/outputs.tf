output "user_pool_id" {
  description = "ID of the Cognito user pool (<region>_<id>)."
  value       = aws_cognito_user_pool.this.id
}

output "user_pool_arn" {
  description = "ARN of the Cognito user pool, used by the API's authorizer."
  value       = aws_cognito_user_pool.this.arn
}

output "client_id" {
  description = "ID of the SPA's app client (no secret)."
  value       = aws_cognito_user_pool_client.spa.id
}

output "initial_username" {
  description = "Username of the first user when initial_user_email was set, else null."
  value       = try(aws_cognito_user.initial[0].username, null)
}
