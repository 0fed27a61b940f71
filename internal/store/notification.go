package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/riverqueue/river"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jobs"
)

// InsertNotifications stores notifications and queues one email job each, in the
// transaction: a notification exists if and only if its change committed, and a mail
// server that is down only delays the email. Which notifications a change calls for is
// internal/notify's to decide.
func (t *Tx) InsertNotifications(ctx context.Context, list []*docket.Notification) error {
	if len(list) == 0 {
		return nil
	}
	const cols = 8
	params := make([]river.InsertManyParams, len(list))
	for i, x := range list {
		params[i] = river.InsertManyParams{Args: jobs.SendEmail{NotificationID: x.ID}}
	}
	// Chunks keep each INSERT under the engines' limits on parameters per statement.
	for out := list; len(out) > 0; {
		chunk := out[:min(len(out), 500)]
		out = out[len(chunk):]
		args := make([]any, 0, len(chunk)*cols)
		for _, x := range chunk {
			args = append(args, x.ID, strPtrArg(x.UserID), x.Email, x.Kind, x.CaseID, x.Subject, x.Body, ms(x.CreatedAt))
		}
		if _, err := t.exec(ctx, `INSERT INTO notifications (id, user_id, email, kind, case_id, subject, body, created_at)
			VALUES `+rows(len(chunk), cols), args...); err != nil {
			return fmt.Errorf("insert notifications: %w", err)
		}
	}
	if err := t.InsertJobs(ctx, params); err != nil {
		return fmt.Errorf("queue notification emails: %w", err)
	}
	return nil
}

// QueueEmail stores a mail for an address (a workflow's send-email action) and queues
// it; inside Atomically it joins the step's transaction. It returns the notification's
// id, which the step records: redacting an object the run holds erases the mail too.
func (s *Store) QueueEmail(ctx context.Context, to, subject, body, caseID string) (string, error) {
	id := docket.NewID(docket.PrefixNotification)
	return id, s.write(ctx, func(tx *Tx) error {
		u, err := tx.FindUserByEmail(ctx, to)
		if err != nil && docket.ErrorCode(err) != docket.ENotFound {
			return err
		}
		n := &docket.Notification{ID: id, Email: to, Kind: docket.NotifyWorkflowEmail,
			CaseID: caseID, Subject: "[Docket] " + subject, Body: body, CreatedAt: tx.now}
		if u != nil {
			n.UserID = &u.ID
		}
		return tx.InsertNotifications(ctx, []*docket.Notification{n})
	})
}

// redactNotifications erases the comment text that a redacted case's mention
// notifications carry (their emails, if still pending, go out without it), and the
// mails that workflows sent about the case, whose text the workflow wrote from anything
// (their emails, if still pending, are not sent).
func redactNotifications(ctx context.Context, tx *Tx, caseID string) error {
	if _, err := tx.exec(ctx, `UPDATE notifications SET body = '' WHERE case_id = ? AND kind = ?`, caseID, docket.NotifyMention); err != nil {
		return fmt.Errorf("redact notifications of case %s: %w", caseID, err)
	}
	return eraseNotifications(ctx, tx, `case_id = ? AND kind = ?`, caseID, docket.NotifyWorkflowEmail)
}

const notificationCols = `id, user_id, email, kind, case_id, subject, body, created_at, read_at, emailed_at`

func scanNotification(row scanner) (*docket.Notification, error) {
	var x docket.Notification
	var user sql.NullString
	var created int64
	var read, emailed sql.NullInt64
	if err := row.Scan(&x.ID, &user, &x.Email, &x.Kind, &x.CaseID, &x.Subject, &x.Body, &created, &read, &emailed); err != nil {
		return nil, err
	}
	x.UserID, x.CreatedAt, x.ReadAt, x.EmailedAt = nullString(user), fromMS(created), fromNullMS(read), fromNullMS(emailed)
	return &x, nil
}

// ListNotifications returns a page of a user's notifications, newest first.
func (s *Store) ListNotifications(ctx context.Context, f docket.NotificationFilter) ([]*docket.Notification, docket.PageResult, error) {
	if _, err := s.FindUser(ctx, f.UserID); err != nil {
		return nil, docket.PageResult{}, err
	}
	where, args := notificationWhere(f.UserID, f.UnreadOnly, f.Visibility)
	q, args := listSQL(`SELECT `+notificationCols+` FROM notifications`, where, args, "id", f.Page)
	items, r, err := queryPage(ctx, s.reader(), q, args, f.Page, scanNotification)
	if err != nil {
		return nil, r, fmt.Errorf("list notifications of %s: %w", f.UserID, err)
	}
	return items, r, nil
}

// notificationWhere selects a user's notifications, only unread ones if unread is set,
// leaving out those about cases vis hides. The visibility condition is correlated (one
// primary-key lookup per notification considered), so it costs a page of lookups.
func notificationWhere(userID string, unread bool, vis docket.Visibility) ([]string, []any) {
	where, args := []string{"user_id = ?"}, []any{userID}
	if unread {
		where = append(where, "read_at IS NULL")
	}
	if vis.Restricted() {
		where = append(where, `NOT EXISTS (SELECT 1 FROM cases hc WHERE hc.id = notifications.case_id
			AND hc.template_id IN (`+placeholders(len(vis.HiddenTemplateIDs))+`))`)
		args = append(args, anys(vis.HiddenTemplateIDs)...)
	}
	return where, args
}

// CountUnreadNotifications counts, up to limit, a user's unread notifications that vis
// does not hide. The partial index notifications_unread holds only unread rows, so the
// count reads at most limit of them however many the user has read.
func (s *Store) CountUnreadNotifications(ctx context.Context, userID string, vis docket.Visibility, limit int) (int, error) {
	where, args := notificationWhere(userID, true, vis)
	var n int
	err := s.reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE `+
		strings.Join(where, " AND ")+` LIMIT ?) counted`, append(args, limit)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count unread notifications of %s: %w", userID, err)
	}
	return n, nil
}

// MarkAllNotificationsRead marks a user's unread notifications read (those vis does not
// hide, up to and including upTo when it is set) and returns how many it marked.
func (s *Store) MarkAllNotificationsRead(ctx context.Context, userID, upTo string, vis docket.Visibility) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *Tx) error {
		if _, err := findUser(ctx, tx.reader(), "id", userID); err != nil {
			return err
		}
		where, args := notificationWhere(userID, true, vis)
		if upTo != "" {
			where, args = append(where, "id <= ?"), append(args, upTo)
		}
		res, err := tx.exec(ctx, `UPDATE notifications SET read_at = ? WHERE `+strings.Join(where, " AND "),
			append([]any{ms(tx.now)}, args...)...)
		if err != nil {
			return fmt.Errorf("mark notifications of %s read: %w", userID, err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// MarkNotificationRead marks one of a user's notifications read (again is a no-op).
func (s *Store) MarkNotificationRead(ctx context.Context, userID, id string) (*docket.Notification, error) {
	var x *docket.Notification
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		x, err = scanNotification(tx.queryRow(ctx, `SELECT `+notificationCols+` FROM notifications WHERE id = ? AND user_id = ?`, id, userID))
		if errors.Is(err, sql.ErrNoRows) {
			return docket.NotFound("notification", id)
		}
		if err != nil || x.ReadAt != nil {
			return err
		}
		x.ReadAt = &tx.now
		_, err = tx.exec(ctx, `UPDATE notifications SET read_at = ? WHERE id = ?`, ms(tx.now), id)
		return err
	})
	return x, err
}

// FindNotification returns one notification (for the email worker).
func (s *Store) FindNotification(ctx context.Context, id string) (*docket.Notification, error) {
	x, err := scanNotification(s.reader().QueryRowContext(ctx, `SELECT `+notificationCols+` FROM notifications WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.NotFound("notification", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find notification %s: %w", id, err)
	}
	return x, nil
}

// MarkNotificationEmailed records that a notification's email was accepted by the server.
func (s *Store) MarkNotificationEmailed(ctx context.Context, id string) error {
	return s.write(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE notifications SET emailed_at = ? WHERE id = ?`, ms(tx.now), id)
		return err
	})
}
