variable "name" {
  type        = string
  description = "DynamoDB table name (TABLE_NAME of the functions)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.name))
    error_message = "name must be 3-255 letters, digits, underscores, dots or dashes."
  }
}

variable "ttl_attribute" {
  type        = string
  description = "Attribute holding an epoch-seconds expiry time; DynamoDB deletes expired items for free. null turns TTL off."
  default     = "expiresAt"
}

variable "enable_point_in_time_recovery" {
  type        = bool
  description = "Keep continuous backups for 35 days (restore to any second)."
  default     = true
}

variable "enable_deletion_protection" {
  type        = bool
  description = "Refuse to delete the table (terraform destroy fails until it is turned off). false keeps dev destroys clean."
  default     = false
}
