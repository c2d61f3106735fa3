output "app_id" {
  description = "ID of the Amplify app (for aws amplify create-deployment / start-deployment)."
  value       = aws_amplify_app.this.id
}

output "branch_name" {
  description = "Name of the Amplify branch that serves the SPA."
  value       = aws_amplify_branch.this.branch_name
}

output "default_domain" {
  description = "Default domain of the Amplify app (<app id>.amplifyapp.com)."
  value       = aws_amplify_app.this.default_domain
}

output "origin" {
  description = "Browser origin of the SPA (https://<branch>.<default domain>), used for CORS."
  value       = "https://${aws_amplify_branch.this.branch_name}.${aws_amplify_app.this.default_domain}"
}

output "custom_headers" {
  description = "The Amplify custom-headers YAML the app serves with every file (null without security_headers)."
  value       = aws_amplify_app.this.custom_headers
}
