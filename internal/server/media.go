package server

import (
	"context"
	"errors"
	"log/slog"

	"broadsheet/internal/config"
	"broadsheet/internal/logsafe"
	"broadsheet/internal/media"
)

// OpenMedia is the storage --media names: the folder, or the S3 bucket,
// whose existence and keys are checked now so that a mistake stops the
// start with a message saying what is wrong. A gateway that does not
// answer at start is only logged: the instance serves its pages anyway,
// and images and uploads answer 503 until the gateway is back.
func OpenMedia(ctx context.Context, cfg *config.Config, logger *slog.Logger) (media.Storage, error) {
	if cfg.MediaS3 == nil {
		return media.NewLocalDisk(cfg.MediaDir), nil
	}
	b := cfg.MediaS3
	s3, err := media.NewS3(ctx, media.S3Config{Endpoint: b.Endpoint, Bucket: b.Bucket, Prefix: b.Prefix,
		AccessKey: b.AccessKey, SecretKey: b.SecretKey, Region: b.Region, Timeout: b.Timeout})
	if errors.Is(err, media.ErrUnavailable) && s3 != nil {
		slog.New(logsafe.NewHandler(logger.Handler())).Warn("the media bucket's gateway is not answering; images and uploads answer 503 until it does",
			"media", *b, "err", err)
		return s3, nil
	}
	if err != nil {
		return nil, err
	}
	return s3, nil
}
